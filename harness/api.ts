/**
 * The library API behind index.ts: run one run, check a history, run a suite, each with a plain options object and
 * no console output unless `log` is given. A user's own system plugs in as a TargetDefinition, its operations
 * as a WorkloadDefinition; both are documented in README "Suites and the library API".
 */
import { resolve } from 'node:path';
import type { Checker, Results } from './core/checker.ts';
import type { Client } from './core/client.ts';
import type { IndexedOp, Op } from './core/op.ts';
import type { RunSpec } from './core/run-spec.ts';
import type { Target } from './core/target.ts';
import type { Workload, WorkloadOptions } from './core/workload.ts';
import type { RunDir } from './store/run-dir.ts';
import type { RiftConfig } from './suite/config.ts';
import type { SuiteOutcome } from './suite/run-suite.ts';
import type { TargetEntry } from './targets/index.ts';

/** A system under test of the user's own. */
export interface TargetDefinition {
  readonly name: string;
  /**
   * The system for these regions, not yet started (the runner calls setup() and, always, teardown()). Its files
   * belong under `dir.data` and `dir.logs`. Implement Killable / Pausable (harness/core/target.ts) to allow the
   * kill / pause faults, and expose a `network` (FaultNetwork) for network faults.
   */
  create(args: { regions: readonly string[]; dir: RunDir; seed: number }): Target;
  /** A client factory bound to the started target; the runner opens one client per process and region. */
  client(target: Target, opTimeoutMs: number): Client;
  /** Whether the client answers `digest` reads, so convergence times can be measured. Default false. */
  readonly probes?: boolean;
}

/** Operations of the user's own: a generator of them and the checkers that judge the history they make. */
export interface WorkloadDefinition {
  readonly name: string;
  create(opts: WorkloadOptions): Workload;
}

export interface RunOptions {
  /** A registered target's name (local, etcd, redis-replication), or the user's own. Default local. */
  target?: string | TargetDefinition;
  targetOptions?: Record<string, string>;
  /** A registered workload's name, or the user's own. Default: the target's default. */
  workload?: string | WorkloadDefinition;
  faults?: string[];
  regions?: string[];
  timeLimitS?: number;
  concurrency?: number;
  rate?: number;
  seed?: number;
  bugs?: string[];
  nemesisIntervalS?: number;
  maxDown?: number;
  settleS?: number;
  convergeTimeoutS?: number;
  opTimeoutMs?: number;
  checkBudgetS?: number;
  keyPrefix?: string;
  keyCount?: number;
  /** Fraction of operations that read, 0 to 1 (default: the workload's). */
  readRatio?: number;
  name?: string;
  /** Where runs are stored. Default ./store. */
  store?: string;
  /** Keep data/ and whole logs after a passing run too. */
  keepData?: boolean;
  /** Receives the run's log lines; silent without it. */
  log?: (line: string) => void;
}

const lineStream = (log: ((line: string) => void) | undefined): NodeJS.WriteStream =>
  ({ isTTY: false, write: (s: string) => { if (log) for (const l of s.split('\n')) if (l) log(l); return true; } }) as unknown as NodeJS.WriteStream;

/** One run, as `rift run` does it, with its history, results.json, report.html and junit.xml in the store. */
export async function run(options: RunOptions = {}) {
  const { parseRunSpec } = await import('./cli/run.ts');
  const { run: runOne } = await import('./runner.ts');
  const { Progress } = await import('./progress.ts');
  const { log, target, workload, store, ...rest } = options;
  const targetName = typeof target === 'object' ? target.name : target ?? 'local';
  const workloadName = typeof workload === 'object' ? workload.name : workload;
  const defaults = parseRunSpec(['--target', targetName, ...(workloadName ? ['--workload', workloadName] : []), '--store', resolve(store ?? 'store')]);
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<RunSpec>;
  const spec: RunSpec = { ...defaults, ...given, faults: rest.faults ?? (typeof target === 'object' ? [] : defaults.faults) };
  const plugins: { target?: TargetEntry; workload?: (o: WorkloadOptions) => Workload } = {};
  if (typeof target === 'object') {
    plugins.target = {
      name: target.name,
      create: (a) => target.create({ regions: a.regions, dir: a.dir, seed: a.seed }),
      client: (t, opTimeoutMs) => target.client(t, opTimeoutMs),
      probes: target.probes ?? false,
      workloads: [],
    };
  }
  if (typeof workload === 'object') plugins.workload = (o) => workload.create(o);
  return runOne(spec, new Progress(lineStream(log)), plugins);
}

export interface CheckOptions {
  checkers: Checker[];
  /** Time budget per checker, ms. */
  budgetMs?: number;
  /** Where checkers may write extra files. */
  outDir?: string;
}

/** Checks a history (a history.jsonl path, or the ops themselves) with the given checkers; writes nothing. */
export async function check(history: string | readonly Op[], options: CheckOptions): Promise<Results> {
  const { composeChecks } = await import('../checkers/compose.ts');
  let ops: readonly IndexedOp[];
  if (typeof history === 'string') {
    const { readHistory } = await import('./history/reader.ts');
    ops = (await readHistory(history)).ops;
  } else {
    ops = history.map((op, index) => ({ ...op, index, line: index + 1 }));
  }
  return composeChecks(options.checkers, ops, { ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}), ...(options.outDir ? { outDir: options.outDir } : {}) });
}

export interface SuiteRunOptions {
  shard?: { index: number; count: number };
  parallel?: number;
  bugs?: string[];
  outDir?: string;
  /** Where runs go; default: the config's store beside the config file (or the working directory). */
  store?: string;
  /** Every run keeps data/ and whole logs even when it passes. */
  keepData?: boolean;
  log?: (line: string) => void;
}

/** Runs a suite of a config (the object, or the path of a config file) and judges its gates; never exits. */
export async function suite(config: RiftConfig | string, name: string, options: SuiteRunOptions = {}): Promise<SuiteOutcome> {
  const { loadConfig } = await import('./suite/load.ts');
  const { validateConfig } = await import('./suite/validate.ts');
  const { runSuite } = await import('./suite/run-suite.ts');
  const configFile = typeof config === 'string' ? resolve(config) : resolve('(config object)');
  const loaded = typeof config === 'string' ? await loadConfig(configFile) : validateConfig(config, 'config object');
  return runSuite({
    config: loaded, configFile, suite: name, log: options.log ?? (() => undefined),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
    ...(options.bugs ? { bugs: options.bugs } : {}),
    ...(options.outDir ? { outDir: resolve(options.outDir) } : {}),
    ...(options.store ? { storeDir: resolve(options.store) } : {}),
    ...(options.keepData ? { keepData: true } : {}),
  });
}
