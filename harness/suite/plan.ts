/**
 * From a suite to the runs it makes: each project once per seed, as the `rift run` arguments that make that run. The
 * arguments are also the run's rerun command, so what a suite ran and what a user reruns cannot differ.
 */
import type { ProjectConfig, RiftConfig, Seeds, SuiteConfig, Gates } from './config.ts';
import { DEFAULT_GATES } from './config.ts';

export interface PlannedRun {
  project: string;
  seed: number;
  /** `rift run` arguments, store excepted. */
  args: string[];
  gates: Gates;
}

/** Each project field and the `rift run` flag it becomes; validation names the field when the flag refuses a value. */
export const FLAG_OF_FIELD: readonly (readonly [string, string, (p: ProjectConfig) => unknown])[] = [
  ['target', 'target', (p) => p.target],
  ['targetOptions', 'target-option', (p) => p.targetOptions && Object.entries(p.targetOptions).map(([k, v]) => `${k}=${v}`).join(',')],
  ['workload', 'workload', (p) => p.workload],
  ['faults', 'nemesis', (p) => p.faults && (p.faults.length ? p.faults.join(',') : 'none')],
  ['regions', 'regions', (p) => p.regions?.join(',')],
  ['time.limitS', 'time-limit', (p) => p.time?.limitS],
  ['time.settleS', 'settle', (p) => p.time?.settleS],
  ['time.nemesisIntervalS', 'nemesis-interval', (p) => p.time?.nemesisIntervalS],
  ['time.maxFaultSteps', 'max-fault-steps', (p) => p.time?.maxFaultSteps],
  ['time.convergeTimeoutS', 'converge-timeout', (p) => p.time?.convergeTimeoutS],
  ['time.opTimeoutMs', 'op-timeout', (p) => p.time?.opTimeoutMs],
  ['time.checkBudgetS', 'check-budget', (p) => p.time?.checkBudgetS],
  ['load.concurrency', 'concurrency', (p) => p.load?.concurrency],
  ['load.rate', 'rate', (p) => p.load?.rate],
  ['load.keys', 'keys', (p) => p.load?.keys],
  ['load.keyPrefix', 'key-prefix', (p) => p.load?.keyPrefix],
  ['load.readRatio', 'read-ratio', (p) => p.load?.readRatio],
  ['load.maxDown', 'max-down', (p) => p.load?.maxDown],
];

export function projectArgs(p: ProjectConfig, seed: number, bugs: readonly string[] = []): string[] {
  const args = ['--name', p.name];
  for (const [, flag, get] of FLAG_OF_FIELD) {
    const v = get(p);
    if (v !== undefined) args.push(`--${flag}`, String(v));
  }
  args.push('--seed', String(seed));
  if (bugs.length && (p.target ?? 'local') === 'local') args.push('--bugs', bugs.join(','));
  return args;
}

/** A random seed in the range `rift run --seed` prints. */
const freshSeed = (random: () => number): number => Math.floor(random() * 2 ** 31);

export function seedsOf(seeds: Seeds | undefined, random: () => number): number[] {
  if (seeds === undefined) return [freshSeed(random)];
  if (Array.isArray(seeds)) return [...seeds];
  return Array.from({ length: (seeds as { random: number }).random }, () => freshSeed(random));
}

export interface PlanOptions {
  bugs?: readonly string[];
  random?: () => number;
}

/** Every run of a suite in order: projects in the suite's order, each with its seeds. */
export function planSuite(config: RiftConfig, suite: SuiteConfig, opts: PlanOptions = {}): PlannedRun[] {
  const random = opts.random ?? Math.random;
  const byName = new Map(config.projects.map((p) => [p.name, p]));
  return suite.projects.flatMap((name) => {
    const p = byName.get(name)!;
    const gates = { ...DEFAULT_GATES, ...p.gates, ...suite.gates };
    return seedsOf(suite.seeds ?? p.seeds, random).map((seed) => ({ project: name, seed, args: projectArgs(p, seed, opts.bugs), gates }));
  });
}

/**
 * Shard `index` of `count` (1-based, as `--shard 2/3` says): runs dealt round-robin, so shards of a suite whose runs
 * grow in length down the list still get similar work. Every run lands in exactly one shard.
 */
export function shardOf<T>(runs: readonly T[], index: number, count: number): T[] {
  return runs.filter((_, i) => i % count === index - 1);
}
