import { resolve } from 'node:path';
import { DEFAULT_REGIONS, type RunSpec } from '../core/run-spec.ts';
import { intFlag, listFlag, numberFlag, parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { summarize } from './summary.ts';
import { rerunCommand, runArgs } from './rerun.ts';
import { expandFaultPresets, parseFaultNames } from '../nemesis/package.ts';
import { DEFAULT_MAX_HOLD_STEPS } from '../nemesis/schedule.ts';
import { chooseIsolation } from '../isolation/choose.ts';
import { loadExternalConfig, type ExternalConfig } from '../targets/external/config.ts';
import { findTarget } from '../targets/index.ts';
import { checkBugs, checkFaultsFor } from './run-choices.ts';

export const RUN_USAGE = `rift run [options]

  --target NAME         local (default; Redis + layer node per region), etcd, redis-replication,
                        external (a layer deployment Rift did not start, described by --config)
  --config FILE         external target: a .ts/.mjs/.js module (default export, typed with defineExternal)
                        or JSON, naming each region's client endpoint, Toxiproxy API and
                        kill/restart/pause/resume commands (examples/external.config.ts)
  --isolation MODE      local target: netns (default where root and ip netns work: each region in its own
                        network, PID and mount namespaces, reachable only through Toxiproxy), process
                        (loopback processes; bypassable), docker (a container per region through
                        testcontainers; exits 70 at once when no container runtime is found)
  --target-option K=V   a target's option, comma-separated for several; etcd: reads=linearizable|serializable;
                        redis-replication: wait=none|all; local: proposers=any|home (default any),
                        batches=default|small
  --workload NAME       tiers (default on local: every tier and type of the layer at once), register
                        (default elsewhere), cas-register, list-append, rw-register, counter, set,
                        session, or-set, mv-register, lww-register, lww, map
  --nemesis LIST        comma-separated fault kinds or presets, or "none" (default on local: chaos =
                        partition,kill,latency-wan-fast,clock-skew,clock-tie,failpoint; elsewhere partition-isolate,kill)
                        kinds: partition (any shape), partition-isolate, partition-halves,
                        partition-bridge, partition-ring, partition-asymmetric, partition-client,
                        kill, pause, latency (any WAN preset), latency-wan, latency-wan-fast,
                        latency-wan-congested, bandwidth, clock-skew, clock-tie, failover (redis-replication),
                        failpoint, failpoint-paxos, failpoint-replication (local);
                        preset: critical = partition-ring,partition-bridge,failpoint-paxos,kill
  --regions LIST        region names, each starting with a letter (default: ${DEFAULT_REGIONS.join(',')})
  --time-limit S        seconds of workload under faults, 1 to 86400 (default: local 60, others 30)
  --concurrency N       client workers across all regions, 1 to 1000 (default: local 4 per region, others 2)
  --rate N              client operations per second, 0.1 to 100000 (default: local 250, others 60); a run
                        that falls short warns and records the achieved rate in run.json ("load")
  --seed N              seed for workload and fault choices, a decimal 0 to 4294967295 (default: random, printed)
  --bugs LIST           layer bug switches to turn on (calibration; local target), e.g. ack-before-write
  --key-prefix P        key namespace (e.g. critical/ for the critical tier)
  --keys N              keys the workload spreads its operations over (default: the workload's)
  --read-ratio R        fraction of operations that read, 0 to 1 (default: the workload's); read-heavy runs
                        catch reads that see values no majority holds
  --nemesis-interval S  mean seconds between faults (default: local 2, others 4)
  --max-fault-steps N   a fault ends at the latest by the Nth nemesis op after its start, 1 to 1000 (default 3;
                        raise it for long partitions and outages)
  --max-down N          most regions killed or paused at once: 1 to regions − 1, or "minority"
                        (default: a minority with the local target's default faults, else all but one)
  --settle S            seconds between the final heal and final reads (default 3)
  --converge-timeout S  then at most S seconds waiting until every region applied every write
                        (local target); a region still behind is reported as not converged (default 30)
  --op-timeout MS       per-operation timeout; a timed-out op is recorded as info (default 2000)
  --check-budget S      time budget per checker (default 60)
  --name NAME           run name, the folder under the store (default: TARGET-WORKLOAD)
  --store DIR           where runs are stored (default ./store)
  --keep-data           keep data/ (Redis, etcd) and whole logs after a passing run too; by default a passing
                        run deletes them and cuts each log over 1 MB to its last 256 KB (a run that does not
                        pass keeps everything)`;

/**
 * The local target's default load: enough clients and operations that local writes race replication and each
 * other (lighter loads let such bugs through); the achieved rate is recorded when the machine cannot keep up.
 */
export const LOCAL_LOAD = { perRegion: 4, rate: 250 } as const;

/**
 * The local target's default faults and their pace: every fault the layer is judged under, often enough (a fault every
 * 2 s on average, for 60 s) that they overlap and each kind comes up several times, since a clock set back while its region is cut off, or a tie while two regions
 * replicate, is what the clock and merge bugs need. Docker regions have no failpoints.
 */
const LOCAL_FAULTS = { presets: ['chaos'], withoutFailpoints: ['partition', 'kill', 'latency-wan-fast', 'clock-skew', 'clock-tie'], intervalS: 2, timeLimitS: 60 } as const;

/**
 * Upper bounds of `rift run`'s numbers, so a typo is refused before anything is deployed rather than run: a day
 * for any duration, more client workers or operations per second than one harness process can drive (it
 * generates about 56,000 ops/s with a no-op client), and the 32 bits the seeded PRNG (harness/core/random.ts) uses.
 */
const LIMITS = { timeLimitS: 86_400, concurrency: 1_000, rate: 100_000, keys: 1_000_000, seed: 2 ** 32 - 1 } as const;

const RUN_FLAGS = {
  target: { type: 'string' }, 'target-option': { type: 'string' }, isolation: { type: 'string' }, config: { type: 'string' }, workload: { type: 'string' }, nemesis: { type: 'string' },
  regions: { type: 'string' }, 'time-limit': { type: 'string' }, concurrency: { type: 'string' },
  rate: { type: 'string' }, seed: { type: 'string' }, bugs: { type: 'string' }, 'key-prefix': { type: 'string' }, keys: { type: 'string' }, 'read-ratio': { type: 'string' },
  'nemesis-interval': { type: 'string' }, 'max-down': { type: 'string' }, 'max-fault-steps': { type: 'string' }, settle: { type: 'string' }, 'op-timeout': { type: 'string' },
  'converge-timeout': { type: 'string' }, 'check-budget': { type: 'string' }, name: { type: 'string' }, store: { type: 'string' }, 'keep-data': { type: 'boolean' }, help: { type: 'boolean' },
} as const;

/**
 * parseRunSpec for `rift run`'s own arguments: the external target's `--config` is loaded first, since a module
 * config (TypeScript included) loads only by an asynchronous import.
 */
export async function parseRunArgs(argv: string[], notice: (line: string) => void = (l) => console.error(l)): Promise<RunSpec> {
  const { values } = parse(argv, RUN_FLAGS, false);
  const external = values.target === 'external' && values.config !== undefined ? await loadExternalConfig(resolve(values.config)) : undefined;
  return parseRunSpec(argv, notice, external);
}

/** `external`: the loaded `--config` of the external target (parseRunArgs loads it), which names the regions. */
export function parseRunSpec(argv: string[], notice: (line: string) => void = (l) => console.error(l), external?: ExternalConfig): RunSpec {
  const { values } = parse(argv, RUN_FLAGS, false);
  if (values.help) throw new CliError(RUN_USAGE, EXIT.valid);
  const target = values.target ?? 'local';
  const workload = values.workload ?? (target === 'local' || target === 'external' ? 'tiers' : 'register');
  if ((values.config !== undefined) !== (target === 'external')) throw new CliError('--config goes with --target external, and --target external needs --config FILE', EXIT.usage);
  if (values.config !== undefined && external === undefined) throw new Error(`--config ${values.config}: parseRunSpec needs the config loaded (parseRunArgs loads it)`);
  // An external deployment's regions are the ones its config names.
  const configRegions = external ? Object.keys(external.regions) : undefined;
  if (configRegions && values.regions !== undefined && listFlag(values.regions, []).join(',') !== configRegions.join(',')) {
    throw new CliError(`--regions ${values.regions} differs from the regions of ${values.config}: ${configRegions.join(',')}`, EXIT.usage);
  }
  const regions = configRegions ?? listFlag(values.regions, DEFAULT_REGIONS);
  if (new Set(regions).size !== regions.length || regions.length === 0) throw new CliError('--regions must name distinct regions', EXIT.usage);
  // A name starts with a letter, so `--regions 3` (a count, not a name) is refused rather than run as one region "3".
  for (const r of regions) {
    if (!/^[a-z][a-z0-9-]*$/.test(r)) throw new CliError(`--regions takes region names such as us-east,eu-west (lowercase letters, digits, dashes, starting with a letter); "${r}" is not one`, EXIT.usage);
  }
  const isolation = chooseIsolation(target, values.isolation, notice);
  const localFaults = isolation === 'docker' ? LOCAL_FAULTS.withoutFailpoints : LOCAL_FAULTS.presets;
  const nemesis = values.nemesis === 'none' ? [] : expandFaultPresets(listFlag(values.nemesis, target === 'local' ? [...localFaults] : ['partition-isolate', 'kill']));
  try {
    parseFaultNames(nemesis);
  } catch (e) {
    throw new CliError(`--nemesis: ${(e as Error).message}`, EXIT.usage);
  }
  checkFaultsFor(findTarget(target), nemesis);
  const bugs = listFlag(values.bugs, []);
  checkBugs(bugs);
  return {
    name: values.name ?? `${target}-${workload}`,
    target,
    ...(values['target-option'] !== undefined ? { targetOptions: targetOptionsFlag(values['target-option']) } : {}),
    workload,
    faults: nemesis,
    regions,
    timeLimitS: numberFlag('time-limit', values['time-limit'], target === 'local' ? LOCAL_FAULTS.timeLimitS : 30, 1, LIMITS.timeLimitS),
    concurrency: intFlag('concurrency', values.concurrency, (target === 'local' ? LOCAL_LOAD.perRegion : 2) * regions.length, 1, LIMITS.concurrency),
    rate: numberFlag('rate', values.rate, target === 'local' ? LOCAL_LOAD.rate : 60, 0.1, LIMITS.rate),
    seed: intFlag('seed', values.seed, Math.floor(Math.random() * 2 ** 31), 0, LIMITS.seed),
    bugs,
    keyPrefix: values['key-prefix'],
    ...(values.keys !== undefined ? { keyCount: intFlag('keys', values.keys, 1, 1, LIMITS.keys) } : {}),
    ...(values['read-ratio'] !== undefined ? { readRatio: numberFlag('read-ratio', values['read-ratio'], 0.5, 0, 1) } : {}),
    nemesisIntervalS: numberFlag('nemesis-interval', values['nemesis-interval'], target === 'local' ? LOCAL_FAULTS.intervalS : 4, 0.1, LIMITS.timeLimitS),
    maxFaultSteps: intFlag('max-fault-steps', values['max-fault-steps'], DEFAULT_MAX_HOLD_STEPS, 1, 1000),
    ...(values['max-down'] !== undefined
      ? { maxDown: maxDownFlag(values['max-down'], regions.length) }
      // The default faults take down a minority at most: with a majority down the critical tier can only refuse, so
      // its consensus paths would sit idle for the rest of the fault instead of being tested under it.
      : target === 'local' && values.nemesis === undefined && regions.length >= 3 ? { maxDown: maxDownFlag('minority', regions.length) } : {}),
    settleS: numberFlag('settle', values.settle, 3, 0, LIMITS.timeLimitS),
    convergeTimeoutS: numberFlag('converge-timeout', values['converge-timeout'], 30, 0, LIMITS.timeLimitS),
    opTimeoutMs: intFlag('op-timeout', values['op-timeout'], 2000, 10, LIMITS.timeLimitS * 1000),
    checkBudgetS: numberFlag('check-budget', values['check-budget'], 60, 0.1, LIMITS.timeLimitS),
    ...(isolation ? { isolation } : {}),
    ...(values.config !== undefined ? { config: resolve(values.config) } : {}),
    storeDir: resolve(values.store ?? 'store'),
    ...(values['keep-data'] ? { keepData: true } : {}),
  };
}

function targetOptionsFlag(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of listFlag(raw, [])) {
    const m = /^([a-z][a-z0-9-]*)=(.+)$/.exec(item);
    if (!m) throw new CliError(`--target-option: "${item}" is not NAME=VALUE`, EXIT.usage);
    if (m[1] in out) throw new CliError(`--target-option: "${m[1]}" is given twice`, EXIT.usage);
    out[m[1]] = m[2];
  }
  return out;
}

/** "minority" is the most a majority-quorum system can lose and stay available: ⌊(n − 1) / 2⌋ of n. */
function maxDownFlag(raw: string, regionCount: number): number {
  // At least one region stays up: the nemesis never takes the last one down.
  const n = raw === 'minority' ? Math.floor((regionCount - 1) / 2) : intFlag('max-down', raw, 1, 1, Math.max(1, regionCount - 1));
  if (n < 1) throw new CliError(`--max-down minority: ${regionCount} region${regionCount === 1 ? ' has' : 's have'} no minority to take down`, EXIT.usage);
  return n;
}

export async function runCommand(argv: string[]): Promise<number> {
  let spec: RunSpec;
  try {
    spec = await parseRunArgs(argv);
  } catch (e) {
    if (e instanceof CliError && e.exitCode === EXIT.valid) {
      console.log(e.message);
      return EXIT.valid;
    }
    throw e;
  }
  const { run } = await import('../runner.ts');
  let outcome;
  try {
    outcome = await run(spec);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`run failed: ${(e as Error).message} (logs of every process are in the run's logs/ folder)`, EXIT.internal);
  }
  console.log(summarize(outcome.results, spec.seed));
  console.log(`rerun: ${rerunCommand(runArgs(spec))}`);
  console.log(`report: ${outcome.dir.report}`);
  return outcome.exitCode;
}
