import type { Results } from '../core/checker.ts';

const word = (v: unknown): string => (v === true ? 'valid' : v === false ? 'INVALID' : 'unknown');

const kept = (v: unknown): string => (v === true ? 'kept' : v === false ? 'BROKEN' : 'unknown');

/**
 * The verdict block printed at the end of `rift run` and `rift check`. With a contract: the verdict is "every
 * promise kept?", each promise with its scope, verdict and proving checker, then the measurements (never red).
 * Without one: one line per checker, then the whole.
 */
export function summarize(results: Results, seed?: number): string {
  const line = (name: string, width: number) => {
    const r = results.checkers[name];
    const why = r?.reason ? ` — ${String(r.reason)}` : '';
    return `  ${name.padEnd(width)} ${word(r?.valid)}${why}`;
  };
  const head = `verdict: ${verdictWord(results)}${seed === undefined ? '' : ` (seed ${seed})`}`;
  const c = results.contract;
  if (!c) {
    const names = Object.keys(results.checkers);
    return [head, ...names.map((n) => line(n, 22))].join('\n');
  }
  const width = Math.max(22, ...Object.keys(results.checkers).map((n) => n.length));
  const promises = c.lines.map((l) => {
    const r = results.checkers[l.checker];
    const why = r?.reason ? ` — ${String(r.reason)}` : '';
    return `  ${kept(l.kept).padEnd(7)} ${l.property} on ${l.scope}, proved by ${l.checker}${why}`;
  });
  return [
    head,
    `contract (${c.target}): ${c.lines.length} promise${c.lines.length === 1 ? '' : 's'}${c.reason ? ` — ${c.reason}` : ''}`,
    ...promises,
    'measurements (reported, never red):',
    ...(results.measurements ?? []).map((n) => line(n, width)),
  ].join('\n');
}

function verdictWord(results: Results): string {
  if (results.contract) return results.valid === true ? 'CONTRACT KEPT' : results.valid === false ? 'CONTRACT BROKEN' : 'UNKNOWN';
  return results.valid === true ? 'VALID' : results.valid === false ? 'ANOMALIES FOUND' : 'UNKNOWN';
}
