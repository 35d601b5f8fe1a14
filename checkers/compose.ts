import { mergeValidity } from '../harness/core/checker.ts';
import type { CheckOptions, CheckResult, Checker, Results } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { HistoryFormatError } from '../harness/history/reader.ts';

/**
 * Runs one checker; a crash becomes an `unknown` result rather than taking the other checkers down with it.
 * Bad input (a value the model cannot take, naming its line) is not a crash: it propagates, for exit 65.
 */
export async function checkSafe(checker: Checker, history: readonly IndexedOp[], opts: CheckOptions): Promise<CheckResult> {
  try {
    const r = await checker.check(history, opts);
    if (r === null || typeof r !== 'object' || !(r.valid === true || r.valid === false || r.valid === 'unknown')) {
      return { valid: 'unknown', reason: `checker crashed: returned no valid verdict (${JSON.stringify(r?.valid)})` };
    }
    return r;
  } catch (e) {
    if (e instanceof HistoryFormatError) throw e;
    const err = e as Error;
    return { valid: 'unknown', reason: `checker crashed: ${err?.message ?? String(e)}`, ...(err?.stack ? { stack: err.stack } : {}) };
  }
}

/**
 * Runs checkers one after another (they are CPU-bound, so running them concurrently would not help on one thread)
 * and merges the verdicts: false beats unknown beats true. Two checkers with the same name get `name#2`, … so
 * neither result is lost.
 */
export async function composeChecks(checkers: readonly Checker[], history: readonly IndexedOp[], opts: CheckOptions): Promise<Results> {
  const out: Record<string, CheckResult> = {};
  for (const c of checkers) {
    if (opts.signal?.aborted) {
      out[uniqueName(out, c.name)] = { valid: 'unknown', reason: 'check aborted before this checker ran' };
      continue;
    }
    out[uniqueName(out, c.name)] = await checkSafe(c, history, opts);
  }
  return { valid: mergeValidity(Object.values(out).map((r) => r.valid)), checkers: out };
}

function uniqueName(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name;
  let i = 2;
  while (`${name}#${i}` in taken) i++;
  return `${name}#${i}`;
}

/**
 * Convergence probes (digest reads, `meta.probe`) are the harness observing, not operations of the data model:
 * model checkers get the history without them. Line numbers are kept, so results still point into the file.
 */
export function withoutProbes(checker: Checker): Checker {
  return {
    name: checker.name,
    check: (history, opts) => checker.check(history.filter((op) => op.meta?.probe !== true), opts),
  };
}
