import type { IndexedOp } from './op.ts';

/** true: no anomaly; false: an anomaly was found; 'unknown': the checker could not decide (budget, too little data). */
export type Validity = true | false | 'unknown';

export interface CheckResult {
  valid: Validity;
  /** Why the result is unknown, or a one-line summary of what was found. */
  reason?: string;
  /** Anything else the checker explains itself with: anomalies, counterexamples, figures. JSON-serialisable. */
  [detail: string]: unknown;
}

export interface CheckOptions {
  /** Wall-clock budget for the whole check, in milliseconds. */
  budgetMs?: number;
  /** Where a checker may write extra files (graphs, dumps); nothing is written elsewhere. */
  outDir?: string;
  signal?: AbortSignal;
}

export interface Checker {
  readonly name: string;
  check(history: readonly IndexedOp[], opts: CheckOptions): Promise<CheckResult>;
}

/** Results of several checkers: false beats unknown beats true (HISTORY.md "Results"). */
export interface Results {
  valid: Validity;
  checkers: Record<string, CheckResult>;
  /** How an offline check read its history: file, format, real-time order, meaning of nil reads. */
  input?: Record<string, unknown>;
}

export function mergeValidity(vs: readonly Validity[]): Validity {
  if (vs.some((v) => v === false)) return false;
  if (vs.some((v) => v === 'unknown')) return 'unknown';
  return true;
}
