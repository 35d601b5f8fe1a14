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
  /** Set when the checker judges only part of a composite workload's history (see checkers/scoped.ts). */
  readonly scope?: CheckerScope;
  check(history: readonly IndexedOp[], opts: CheckOptions): Promise<CheckResult>;
}

/** The part of a history a scoped checker judges: operations tagged `meta.part`, described by `label`. */
export interface CheckerScope {
  /** `meta.part` of the operations judged: one part, or several judged as one history. */
  readonly part: string | readonly string[];
  /** What a reader calls that part, e.g. its key prefix. */
  readonly label: string;
  /** The name of the checker before scoping (`linearizable`, `set`, …). */
  readonly checker: string;
  /** The key prefix of the part, when it has one: its tier even when the part made no operation. */
  readonly keyPrefix?: string;
}

/** One promise of a contract: a property, the checker (results key) that proves it, over which keys. */
export interface ContractLine {
  property: string;
  checker: string;
  scope: string;
}

export interface ContractLineResult extends ContractLine {
  /** The proving checker's verdict: true kept, false broken, unknown not decided. */
  kept: Validity;
}

/** What a run's target promised and whether every promise was kept (`valid`). */
export interface ContractResult {
  target: string;
  valid: Validity;
  lines: ContractLineResult[];
  /** Why the verdict is unknown when no line could be judged. */
  reason?: string;
}

/**
 * Results of several checkers: false beats unknown beats true (HISTORY.md "Results"). With a contract, `valid` is
 * the contract's verdict, and checkers that prove no promise are listed as `measurements`: reported, never red.
 */
export interface Results {
  valid: Validity;
  checkers: Record<string, CheckResult>;
  contract?: ContractResult;
  measurements?: string[];
  /** How an offline check read its history: file, format, real-time order, meaning of nil reads. */
  input?: Record<string, unknown>;
  /**
   * Figures of a whole run that no one checker gives, for comparing runs (harness/store/figures.ts): the latency of
   * every ok client operation, all kinds together, in ms.
   */
  figures?: { latencyMs?: { count: number; p50: number; p95: number; p99: number; max: number } };
}

export function mergeValidity(vs: readonly Validity[]): Validity {
  if (vs.some((v) => v === false)) return false;
  if (vs.some((v) => v === 'unknown')) return 'unknown';
  return true;
}
