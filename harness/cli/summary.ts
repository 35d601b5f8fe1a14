import type { Results } from '../core/checker.ts';

const word = (v: unknown): string => (v === true ? 'valid' : v === false ? 'INVALID' : 'unknown');

/** The verdict block printed at the end of `rift run` and `rift check`: one line per checker, then the whole. */
export function summarize(results: Results, seed?: number): string {
  const lines = Object.entries(results.checkers).map(([name, r]) => {
    const why = r.reason ? ` — ${String(r.reason)}` : '';
    return `  ${name.padEnd(22)} ${word(r.valid)}${why}`;
  });
  const verdict = results.valid === true ? 'VALID' : results.valid === false ? 'ANOMALIES FOUND' : 'UNKNOWN';
  return [`verdict: ${verdict}${seed === undefined ? '' : ` (seed ${seed})`}`, ...lines].join('\n');
}
