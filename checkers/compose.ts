import { mergeValidity } from '../harness/core/checker.ts';
import type { CheckOptions, CheckResult, Checker, Results } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { HistoryFormatError } from '../harness/history/reader.ts';

/**
 * Runs one checker; a crash becomes an `unknown` result rather than taking the other checkers down with it.
 * Bad input (a value the model cannot take, naming its line) is not a crash: it comes back as `inputError`, for exit 65.
 */
export async function checkSafe(checker: Checker, history: readonly IndexedOp[], opts: CheckOptions): Promise<CheckResult> {
  try {
    const r = await checker.check(history, opts);
    if (r === null || typeof r !== 'object' || !(r.valid === true || r.valid === false || r.valid === 'unknown')) {
      return { valid: 'unknown', reason: `checker crashed: returned no valid verdict (${JSON.stringify(r?.valid)})` };
    }
    return r;
  } catch (e) {
    // An op the checker cannot read (a model that does not fit the history) is bad input, not a crash: keep where.
    if (e instanceof HistoryFormatError) {
      return { valid: 'unknown', reason: `bad input: ${e.message}`, inputError: { file: e.file, line: e.line, detail: e.detail } };
    }
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
  const names = resultNames(checkers);
  for (const [i, c] of checkers.entries()) {
    if (opts.signal?.aborted) {
      out[names[i]] = { valid: 'unknown', reason: 'check aborted before this checker ran' };
      continue;
    }
    out[names[i]] = await checkSafe(c, history, opts);
  }
  return { valid: mergeValidity(Object.values(out).map((r) => r.valid)), checkers: out };
}

/** The results key of each checker, in order: its name, or `name#2`, … for repeats. */
export function resultNames(checkers: readonly Checker[]): string[] {
  const taken = new Set<string>();
  return checkers.map((c) => {
    let name = c.name;
    for (let i = 2; taken.has(name); i++) name = `${c.name}#${i}`;
    taken.add(name);
    return name;
  });
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
