import type { Checker, CheckOptions, CheckResult } from '../../harness/core/checker.ts';
import { tooLittleData } from '../too-little-data.ts';
import type { Model } from '../../harness/core/model.ts';
import type { IndexedOp } from '../../harness/core/op.ts';
import type { Counterexample, PartitionResult } from './explain.ts';
import { drain, newControl, NEXT, STOP, type JobLimits } from './drain.ts';
import type { LinearizableModel } from './model.ts';
import { namedModel, type ModelName } from './models/index.ts';
import { defaultWorkers, drainOnWorker } from './pool.ts';
import { packPartitions } from './packed.ts';
import { prepareHistory, type NilRead, type Partition } from './prepare.ts';

export type { ModelName } from './models/index.ts';
export type { NilRead } from './prepare.ts';
export type { Counterexample, PartitionResult, PrefixStep, OpRef } from './explain.ts';
export type { LinearizableModel, OpInput } from './model.ts';
export { namedModel, MODEL_NAMES, ModelOptionError } from './models/index.ts';
export { mutexModel } from './models/mutex.ts';
export { multiRegisterModel } from './models/multi-register.ts';
export { registerModel, casRegisterModel } from './models/register.ts';
export { kvModel } from './models/kv.ts';
export { setModel } from './models/set.ts';
export { keyedModel } from './models/keyed.ts';

export interface LinearizableOptions {
  /** A built-in model, or your own (checked on the calling thread: functions cannot cross to workers). */
  model: ModelName | Model<any, any, any>;
  /** Value each key starts with for a built-in model (absent when omitted; kv: absent; set: []). */
  initial?: unknown;
  /** Wall-clock budget for the whole check; on expiry the verdict is unknown with reason 'timeout'. */
  budgetMs?: number;
  /** Cap on memoised configurations per partition; reaching it gives unknown with reason 'memory'. */
  maxCacheEntries?: number;
  /** Threads checking partitions at once, this one included (default: the cores, at most 8). */
  workers?: number;
  /**
   * Milliseconds the check runs on this thread alone before worker threads join it (default 200; 0: at once).
   * Most checks end sooner than a worker takes to start and warm up; only the long ones are worth the others.
   */
  parallelAfterMs?: number;
  signal?: AbortSignal;
  /** Cap on the memo bytes of each thread's searches together (default 256 MiB); reaching it gives unknown with reason 'memory'. */
  maxCacheBytes?: number;
  /** Include, for each valid partition, the invoke lines in a linearization order. */
  witness?: boolean;
  /**
   * For each small bad partition, search for every op's longest partial linearization, for reports (default true;
   * the counterexample's `explorer`). It can cost as much as the check: leave it off when nothing will show it.
   */
  explore?: boolean;
  /** File name for error messages about bad input. */
  file?: string;
  /** Symmetry pruning of interchangeable ops (default on; off only to cross-check verdicts). */
  symmetry?: boolean;
  /** What an ok read of null means: `absent` (default, Rift JSONL) or `any` (Knossos, Jepsen EDN). */
  nilRead?: NilRead;
  /**
   * Without a budget, how long the other keys may still run once one key is found not linearizable (default
   * 3000 ms; 0 stops at once), so that every bad key gets reported but a pathological key cannot hold the verdict
   * forever. With a budget, the budget alone decides.
   */
  afterIllegalMs?: number;
}

export const DEFAULT_MAX_CACHE_ENTRIES = 4_000_000;
export const DEFAULT_MAX_CACHE_BYTES = 256 * 1024 * 1024;
/** Below this many ops, posting partitions to threads costs more than it saves. */
const PARALLEL_MIN_OPS = 500;
/**
 * A worker thread takes 35–50 ms to start from the build on the project's 2-core machine, then searches with cold
 * code: on Porcupine's kv files (0.1–0.2 s each) one started at once made the check 1.4–1.8 times slower than
 * this thread alone. After four times that start-up, the check is long enough to share.
 */
const PARALLEL_AFTER_MS = 200;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Stats {
  ops: number;
  failedDropped: number;
  /** Ok reads of null dropped because nilRead is 'any'. */
  nilReadsDropped: number;
  partitions: number;
  checked: number;
  illegal: number;
  unknown: number;
  cacheEntries: number;
  /** Threads that checked partitions, this one included: 1 unless the check ran long enough for helpers to join. */
  workers: number;
  /** Why a worker thread failed, when one did (its unclaimed partitions were left to the other threads). */
  workerErrors?: string[];
  /** Partitions decided on worker threads rather than the calling thread. */
  decidedOnWorkers: number;
  ms: number;
}

const notChecked = (reason: string, ops: number): PartitionResult => ({
  valid: 'unknown',
  reason,
  ops,
  stats: { ops, searched: 0, cacheEntries: 0, states: 0, steps: 0, maxDepth: 0, ms: 0 },
});

/**
 * Checks a Rift history for linearizability against a model, per key, on up to `workers` threads.
 * Operations are referred to by history line number. Malformed input throws HistoryFormatError.
 */
export async function checkLinearizable(history: readonly IndexedOp[], opts: LinearizableOptions): Promise<CheckResult> {
  const started = performance.now();
  const model = (typeof opts.model === 'string' ? namedModel(opts.model, opts.initial) : opts.model) as LinearizableModel<unknown>;
  const nilRead = opts.nilRead ?? 'absent';
  const prepared = prepareHistory(history, model, opts.file, nilRead);
  const failureNotes: string[] = [];
  const limits: JobLimits = {
    deadline: opts.budgetMs !== undefined && opts.budgetMs > 0 ? Date.now() + opts.budgetMs : Infinity,
    maxCacheEntries: opts.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES,
    maxCacheBytes: opts.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES,
    symmetry: opts.symmetry ?? true,
    witness: opts.witness ?? false,
    explore: opts.explore ?? true,
  };
  // Largest first, so the long partitions start early and threads finish together.
  const parts: Partition[] = [...prepared.partitions].sort((a, b) => b.ops.length - a.ops.length);
  const totalOps = parts.reduce((s, p) => s + p.ops.length, 0);
  const threads = Math.max(1, Math.floor(opts.workers ?? defaultWorkers()));
  const parallel = typeof opts.model === 'string' && threads > 1 && parts.length > 1 && totalOps >= PARALLEL_MIN_OPS;
  // Shared memory costs more to allocate than a small check takes; one thread can use a plain array.
  const ctl = parallel ? newControl() : new Int32Array(2);
  const onAbort = (): void => void Atomics.store(ctl, STOP, 2);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const decided: (PartitionResult | undefined)[] = new Array(parts.length);
  let onWorkers = 0;
  let grace: ReturnType<typeof setTimeout> | undefined;
  const record = (index: number, r: PartitionResult): void => {
    decided[index] = r;
    if (r.valid !== false || grace !== undefined || limits.deadline !== Infinity) return;
    const ms = opts.afterIllegalMs ?? 3000;
    if (ms <= 0) Atomics.compareExchange(ctl, STOP, 0, 1);
    else grace = setTimeout(() => Atomics.compareExchange(ctl, STOP, 0, 1), ms);
  };
  const recordFromWorker = (index: number, r: PartitionResult): void => {
    onWorkers++;
    record(index, r);
  };
  const helpers: Promise<void | Error>[] = [];
  const startHelpers = (): void => {
    const packed = packPartitions(parts);
    for (let i = 1; i < threads; i++) {
      helpers.push(drainOnWorker({ model: { name: opts.model as ModelName, initial: opts.initial }, parts: packed, limits, ctl }, recordFromWorker).catch((e: Error) => e));
    }
  };
  const helpAfter = opts.parallelAfterMs ?? PARALLEL_AFTER_MS;
  let helped = false;
  if (parallel && helpAfter <= 0) {
    startHelpers();
    helped = true;
  }
  try {
    for (const _ of drain(model, parts, ctl, limits, record, opts.signal)) {
      // Helpers join a long check while partitions are still unclaimed; they claim the next ones as this thread does.
      if (parallel && !helped && performance.now() - started >= helpAfter && Atomics.load(ctl, NEXT) < parts.length) {
        startHelpers();
        helped = true;
      }
      await yieldToEventLoop();
    }
    const failures = (await Promise.all(helpers)).filter((x): x is Error => x instanceof Error);
    for (const f of failures) failureNotes.push(f.message);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    clearTimeout(grace);
  }
  const stopCode = Atomics.load(ctl, STOP);
  const leftover = stopCode === 1 ? 'stopped' : stopCode === 2 ? 'aborted' : failureNotes.length > 0 ? `error: ${failureNotes[0]}` : 'timeout';
  const results = new Map<string, PartitionResult>();
  parts.forEach((p, i) => results.set(p.key, decided[i] ?? notChecked(leftover, p.ops.length)));

  const partitions: Record<string, PartitionResult> = {};
  for (const p of prepared.partitions) partitions[p.key] = results.get(p.key)!;
  const all = Object.values(partitions);
  const illegal = all.filter((r) => r.valid === false);
  const unknown = all.filter((r) => r.valid === 'unknown');
  const stats: Stats = {
    ops: prepared.total,
    failedDropped: prepared.failed,
    nilReadsDropped: prepared.nilReads,
    partitions: all.length,
    checked: decided.filter((r) => r !== undefined).length,
    illegal: illegal.length,
    unknown: unknown.length,
    cacheEntries: all.reduce((s, r) => s + r.stats.cacheEntries, 0),
    workers: helped ? threads : 1,
    decidedOnWorkers: onWorkers,
    ms: performance.now() - started,
  };
  if (failureNotes.length > 0) stats.workerErrors = failureNotes;
  if (illegal.length > 0) {
    const counterexample: Counterexample = illegal[0].counterexample!;
    const illegalKeys = Object.keys(partitions).filter((k) => partitions[k].valid === false);
    const undecided = Object.keys(partitions).filter((k) => partitions[k].valid === 'unknown');
    const more = illegalKeys.length > 1 ? ` (and ${illegalKeys.length - 1} more key${illegalKeys.length > 2 ? 's' : ''} not linearizable)` : '';
    return { valid: false, reason: counterexample.message + more, partitions, counterexample, illegalKeys, undecidedKeys: undecided, nilRead, stats };
  }
  if (unknown.length > 0) {
    const reasons = unknown.map((r) => r.reason ?? 'unknown');
    const primary = (['aborted', 'timeout', 'memory'] as const).find((r) => reasons.includes(r)) ?? reasons[0];
    return { valid: 'unknown', reason: primary, partitions, nilRead, stats };
  }
  return { valid: true, partitions, nilRead, stats };
}

/** The linearizability checker for a workload; the run's budget and signal apply when the options set none. */
export function linearizableChecker(opts: LinearizableOptions): Checker {
  // A wrong model name or initial value is the caller's mistake: say so now, not as a crash mid-check.
  if (typeof opts.model === 'string') namedModel(opts.model, opts.initial);
  return {
    name: 'linearizable',
    // Infos and fails alone constrain nothing: any model linearizes them, so they prove nothing either.
    check: async (history: readonly IndexedOp[], checkOpts: CheckOptions) =>
      tooLittleData(history, { count: 1, what: 'ok client operations' }) ??
      checkLinearizable(history, { ...opts, budgetMs: opts.budgetMs ?? checkOpts.budgetMs, signal: opts.signal ?? checkOpts.signal }),
  };
}
