import type { CheckOptions, Checker, CheckResult } from '../../harness/core/checker.ts';
import type { IndexedOp } from '../../harness/core/op.ts';
import { runElle } from './check.ts';
import { inferListAppend } from './list-append.ts';
import { modelName, validateAnomalies, validateModels } from './models.ts';
import { inferRwRegister } from './rw-register.ts';
import { ASSUMPTIONS, type Assumption } from './key-order.ts';

export type { Assumption } from './key-order.ts';
export { ASSUMPTIONS } from './key-order.ts';

export type ConsistencyModel = 'read-uncommitted' | 'read-committed' | 'repeatable-read' | 'snapshot-isolation'
  | 'serializable' | 'strict-serializable' | 'strong-session-serializable' | string;

export interface ElleOptions {
  /** Models the system promises; default ['strict-serializable']. */
  consistencyModels?: ConsistencyModel[];
  /** Anomaly types that make the verdict false even where the models allow them (e.g. 'lost-update'), with every anomaly that is a case of one (G1 covers G1a, G1b, G1c). */
  anomalies?: string[];
  /** Time limit for the cycle search in each strongly connected component, in ms (default 1000). */
  budgetMs?: number;
  /**
   * Elle's `sequential-keys?` / `linearizable-keys?`: each key alone is sequentially consistent (process order) or
   * linearizable (real-time order), which orders more register versions. rw-register only: list-append's reads already
   * give each key's whole version order.
   */
  assume?: Assumption[];
  /** The history's file, named when the history does not meet the workload's preconditions. */
  file?: string;
  /** Where Graphviz DOT files of the cycles go (in an `elle-<workload>` subfolder); none are written without it. */
  outDir?: string;
}

const DEFAULT_SCC_BUDGET_MS = 1000;

function pipelineOptions(opts: ElleOptions, check?: CheckOptions) {
  validateModels(opts.consistencyModels ?? []);
  const models = (opts.consistencyModels ?? ['strict-serializable']).map(modelName);
  validateAnomalies(opts.anomalies ?? []);
  return {
    models,
    anomalies: opts.anomalies ?? [],
    sccBudgetMs: opts.budgetMs ?? DEFAULT_SCC_BUDGET_MS,
    deadline: check?.budgetMs !== undefined ? performance.now() + check.budgetMs : Infinity,
    outDir: opts.outDir ?? check?.outDir,
    signal: check?.signal,
    file: opts.file,
  };
}

/** List-append needs no per-key assumption: its reads already give each key's version order. */
function refuseAssumptions(opts: ElleOptions): void {
  if ((opts.assume ?? []).length > 0) throw new RangeError(`assume (${opts.assume!.join(', ')}) applies to rw-register only: list-append reads give each key's version order`);
}

export async function checkListAppend(history: readonly IndexedOp[], opts: ElleOptions = {}): Promise<CheckResult> {
  refuseAssumptions(opts);
  return runElle(history, 'list-append', inferListAppend, pipelineOptions(opts));
}

function validateAssumptions(assume: readonly string[]): void {
  const unknown = assume.filter((a) => !(ASSUMPTIONS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new RangeError(`unknown assumption ${unknown.map((a) => JSON.stringify(a)).join(', ')}; known: ${ASSUMPTIONS.join(', ')}`);
}

async function runRwRegister(history: readonly IndexedOp[], opts: ElleOptions, check?: CheckOptions): Promise<CheckResult> {
  const assume = opts.assume ?? [];
  const r = await runElle(history, 'rw-register', (txns) => inferRwRegister(txns, assume), pipelineOptions(opts, check));
  return assume.length > 0 ? { ...r, assumptions: [...assume] } : r;
}

export async function checkRwRegister(history: readonly IndexedOp[], opts: ElleOptions = {}): Promise<CheckResult> {
  validateAssumptions(opts.assume ?? []);
  return runRwRegister(history, opts);
}

/** The checker a workload plugs in; the run's CheckOptions add an overall deadline, outDir and abort signal. */
export function listAppendChecker(opts: ElleOptions = {}): Checker {
  validateModels(opts.consistencyModels ?? []);
  validateAnomalies(opts.anomalies ?? []);
  refuseAssumptions(opts);
  return { name: 'elle-list-append', check: (history, check) => runElle(history, 'list-append', inferListAppend, pipelineOptions(opts, check)) };
}

export function rwRegisterChecker(opts: ElleOptions = {}): Checker {
  validateModels(opts.consistencyModels ?? []);
  validateAnomalies(opts.anomalies ?? []);
  validateAssumptions(opts.assume ?? []);
  return { name: 'elle-rw-register', check: (history, check) => runRwRegister(history, opts, check) };
}
