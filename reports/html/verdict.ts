/** Verdict words and one-line summaries, the same on the page, in JUnit and anywhere else a verdict is shown. */
import type { CheckResult, Results, Validity } from '../../harness/core/checker.ts';
import { grouped, text } from './format.ts';

export const verdictClass = (v: Validity | undefined): 'valid' | 'invalid' | 'unknown' =>
  v === true ? 'valid' : v === false ? 'invalid' : 'unknown';

export const verdictWord = (v: Validity | undefined): string =>
  v === true ? 'Valid' : v === false ? 'Anomalies found' : 'Unknown';

/** The sentence under the headline: which checkers decided what. */
export function verdictSentence(results: Results): string {
  const entries = Object.entries(results.checkers ?? {});
  if (entries.length === 0) return 'No checker ran, so nothing was verified.';
  const bad = entries.filter(([, r]) => r?.valid === false).map(([n]) => n);
  const unk = entries.filter(([, r]) => r?.valid !== true && r?.valid !== false).map(([n]) => n);
  if (results.valid === true) return entries.length === 1 ? `${entries[0][0]} found no anomaly.` : `All ${entries.length} checkers found no anomaly.`;
  if (results.valid === false) {
    const tail = unk.length ? ` ${unk.join(', ')} could not decide.` : '';
    return `${bad.join(', ')} found anomalies.${tail}`;
  }
  return `No anomaly found, but ${unk.join(', ')} could not decide — this run proves nothing about ${unk.length === 1 ? 'that property' : 'those properties'}.`;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** One line saying what a checker found, for cards and JUnit messages. */
export function checkerSummary(name: string, r: CheckResult): string {
  if (typeof r?.reason === 'string' && r.reason !== '') return r.reason;
  const cx = asRecord(r?.counterexample);
  const stuck = asRecord(cx?.stuck);
  if (stuck) return `key ${text(cx?.key, 40)}: the operation on line ${text(stuck.line)} cannot be linearized`;
  if (Array.isArray(r?.anomalyTypes) && r.anomalyTypes.length) return `anomalies: ${r.anomalyTypes.join(', ')}`;
  const anomalies = asRecord(r?.anomalies);
  if (anomalies && Object.keys(anomalies).length) return `anomalies: ${Object.keys(anomalies).join(', ')}`;
  if (Array.isArray(r?.violations)) return `${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`;
  if (r?.valid === true) return 'no anomaly found';
  if (r?.valid === false) return `${name} reported a violation`;
  return `${name} could not decide`;
}

/**
 * Small headline numbers of a result: scalars, short lists of names, small maps of counts, and — for a failing
 * checker — how many entries each list of findings has. Lists of figures (throughput points, windows) are left to
 * the sections that draw them.
 */
export function keyFigures(r: CheckResult, max = 6): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(r ?? {})) {
    if (k === 'valid' || k === 'reason' || out.length >= max) continue;
    if (typeof v === 'number' || typeof v === 'boolean') out.push([k, typeof v === 'number' ? grouped(v) : String(v)]);
    else if (typeof v === 'string' && v.length <= 40) out.push([k, v]);
    else if (Array.isArray(v) && v.length > 0 && v.length <= 6 && v.every((x) => typeof x === 'string')) out.push([k, v.join(', ')]);
    else if (Array.isArray(v) && v.length > 0 && r.valid === false && v.every((x) => typeof x === 'object' && x !== null)) out.push([k, grouped(v.length)]);
    else {
      const o = asRecord(v);
      const entries = o ? Object.entries(o) : [];
      if (entries.length > 0 && entries.length <= 6 && entries.every(([, x]) => typeof x === 'number'))
        out.push([k, entries.map(([a, x]) => `${a} ${grouped(x as number)}`).join(', ')]);
    }
  }
  return out;
}
