/**
 * One run, start to finish (Jepsen's `run!`):
 *   1. make the run directory and write run.json (the spec, status "running");
 *   2. deploy the target (processes in their own groups, every link through Toxiproxy);
 *   3. build the workload, its client and the nemesis for the target's regions;
 *   4. interpret the generator: main phase (clients + faults, time-limited) → heal everything → settle →
 *      catch-up (until every region applied every write, bounded) → final reads, with convergence probes running
 *      throughout; every event streams into history.jsonl;
 *   5. tear the target down (always, also on error or interrupt);
 *   6. read the history back from disk, check it with the workload's checkers plus stats, availability and
 *      fault coverage, and write results.json, report.html and junit.xml;
 *   7. finish run.json with the verdict and the exit code; a passing run then deletes its data directories and cuts
 *      large logs (unless keepData), and the store's index.html is regenerated.
 * The history on disk is the only input of step 6, so `rift check` and `rift report` can redo it offline.
 */
import type { RunSpec } from './core/run-spec.ts';
import type { Results } from './core/checker.ts';
import type { Op } from './core/op.ts';
import type { Generator } from './core/generator.ts';
import { deriveRandom } from './core/random.ts';
import { createRunDir, writeJson, type RunDir } from './store/run-dir.ts';
import { boundRunData } from './store/bound-data.ts';
import { refreshStoreIndex } from './store/write-index.ts';
import { HistoryWriter } from './history/writer.ts';
import { readHistory } from './history/reader.ts';
import { interpret } from './generator/interpreter.ts';
import { any, phases } from './generator/compose.ts';
import { sleep } from './generator/basic.ts';
import { stagger, timeLimit } from './generator/time.ts';
import { startProber } from './prober.ts';
import { catchUp } from './catch-up.ts';
import { Progress } from './progress.ts';
import { resolveTargetOptions, targetEntry, type TargetEntry } from './targets/index.ts';
import type { Workload, WorkloadOptions } from './core/workload.ts';
import { nemesisPackage, parseFaultNames } from './nemesis/package.ts';
import { PARTITION_SHAPES, type PartitionShape } from './net/grudge.ts';
import { workloads } from '../workloads/index.ts';
import { checkRunHistory, workloadOf } from './check-run.ts';
import { rerunCommand, runArgs } from './cli/rerun.ts';
import { writeReports } from '../reports/write.ts';
import { CliError, EXIT, exitForValidity } from './cli/exit-codes.ts';
import { checkBugs, checkFaultsFor } from './cli/run-choices.ts';

export interface RunOutcome {
  dir: RunDir;
  results: Results;
  exitCode: number;
}

/** The shapes the fault names ask for (all, unless `partition-<shape>` names narrow them) that the target can express. */
function partitionShapes(faults: readonly string[], supported?: readonly PartitionShape[]): PartitionShape[] | undefined {
  const asked = parseFaultNames(faults).partitionShapes;
  if (!supported) return asked;
  return (asked ?? PARTITION_SHAPES).filter((s) => supported.includes(s));
}

/**
 * A user's own system or workload in place of the registered ones (the library API, index.ts). A run with its own
 * target has no contract: no promises are known for it, so every checker is part of the verdict.
 */
export interface RunPlugins {
  target?: TargetEntry;
  workload?: (opts: WorkloadOptions) => Workload;
}

export async function run(spec: RunSpec, progress = new Progress(), plugins: RunPlugins = {}): Promise<RunOutcome> {
  const entry = plugins.target ?? targetEntry(spec.target);
  const targetOptions = resolveTargetOptions(entry, spec.targetOptions ?? {});
  const makeWorkload = plugins.workload ?? workloads[spec.workload];
  if (!makeWorkload) throw new CliError(`unknown workload "${spec.workload}"; one of: ${Object.keys(workloads).join(', ')}`, EXIT.usage);
  if (!plugins.workload && !entry.workloads.includes(spec.workload)) {
    throw new CliError(`target "${spec.target}" does not run workload "${spec.workload}"; it runs ${entry.workloads.join(', ')}`, EXIT.usage);
  }
  if (spec.bugs.length > 0 && spec.target !== 'local') throw new CliError('--bugs are switches of the layer; they apply to --target local only', EXIT.usage);
  // The library API builds specs without parseRunSpec's checks: the same refusals, still before anything is deployed.
  checkBugs(spec.bugs);
  checkFaultsFor(entry, spec.faults);
  const dir = createRunDir(spec.storeDir, spec.name);
  const startedAt = new Date();
  // The options in force, defaults included, so run.json says how the target was driven.
  // Every option in force, the seed above all, as a command to paste: the run can be repeated from any clone.
  const rerun = rerunCommand(runArgs({ ...spec, ...(Object.keys(targetOptions).length ? { targetOptions } : {}) }));
  const runInfo: Record<string, unknown> = {
    ...spec, ...(Object.keys(targetOptions).length ? { targetOptions } : {}), startedAt: startedAt.toISOString(), status: 'running', dir: dir.root, rerun,
  };
  writeJson(dir.runJson, runInfo);
  // A signal ends the process from its handler (process/spawn.ts), past every finally below: say so in run.json on
  // the way out, so the run can still be checked and reported from its history (`rift report`).
  const onExit = (code: number) => {
    if (runInfo.status !== 'running') return;
    Object.assign(runInfo, { status: 'interrupted', exitCode: code, finishedAt: new Date().toISOString() });
    writeJson(dir.runJson, runInfo);
  };
  process.on('exit', onExit);
  progress.log(`rift: run ${spec.name} → ${dir.root}`);

  const workload = workloadOf(spec, makeWorkload);
  const target = await entry.create({ regions: spec.regions, dir, bugs: spec.bugs, seed: spec.seed, options: targetOptions, isolation: spec.isolation, config: spec.config });
  const history = new HistoryWriter(dir.history);
  const t0 = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - t0);
  const record = (op: Op) => {
    history.append(op);
    progress.event(op);
  };
  let infraError: Error | undefined;
  progress.start();
  try {
    progress.setPhase('deploying');
    const setupStart = Date.now();
    await target.setup();
    runInfo.setupMs = Date.now() - setupStart;
    progress.log(`rift: setup took ${(runInfo.setupMs as number / 1000).toFixed(1)} s${spec.isolation ? ` (isolation ${spec.isolation})` : ''}`);
    const client = entry.client(target, spec.opTimeoutMs, targetOptions);
    const nemesis = spec.faults.length === 0 ? undefined : nemesisPackage({
      target, faults: spec.faults, seed: spec.seed, intervalMs: spec.nemesisIntervalS * 1000, regions: spec.regions, maxDown: spec.maxDown, maxHoldSteps: spec.maxFaultSteps,
      partitionShapes: partitionShapes(spec.faults, entry.partitionShapes?.(spec.regions)),
    });
    const mainPhase: Generator = any(
      timeLimit(spec.timeLimitS * 1000, stagger(1000 / spec.rate, workload.generator)),
      ...(nemesis ? [timeLimit(spec.timeLimitS * 1000, nemesis.generator)] : []),
    );
    const gen = phases(
      mainPhase,
      ...(nemesis ? [nemesis.finalGenerator] : []),
      sleep(spec.settleS * 1000),
      ...(entry.probes && workload.finalGenerator ? [catchUp({ regions: spec.regions, timeoutMs: (spec.convergeTimeoutS ?? 30) * 1000, intervalMs: 200 })] : []),
      ...(workload.finalGenerator ? [workload.finalGenerator] : []),
    );
    const prober = entry.probes && workload.checkers.some((c) => (c.scope?.checker ?? c.name) === 'convergence')
      ? startProber({ client, regions: spec.regions, intervalMs: 100, opTimeoutMs: Math.min(spec.opTimeoutMs, 1000), record, now })
      : undefined;
    progress.setPhase('running', spec.timeLimitS + spec.settleS);
    try {
      await interpret({
        generator: gen, concurrency: spec.concurrency, regions: spec.regions, client, nemesis: nemesis?.nemesis,
        record, now, random: deriveRandom(spec.seed, 'workload'), opTimeoutMs: spec.opTimeoutMs,
      });
    } finally {
      await prober?.stop();
      await nemesis?.nemesis.teardown().catch(() => undefined);
    }
  } catch (e) {
    infraError = e as Error;
  } finally {
    history.close();
    progress.setPhase('tearing down');
    await target.teardown().catch((e: Error) => { infraError ??= e; });
    progress.stop();
  }
  if (infraError) {
    runInfo.status = 'failed';
    runInfo.error = infraError.message;
    runInfo.finishedAt = new Date().toISOString();
    writeJson(dir.runJson, runInfo);
    process.off('exit', onExit);
    refreshStoreIndex(spec.storeDir, (line) => progress.log(line));
    throw infraError;
  }

  progress.log('rift: checking history');
  const { ops } = await readHistory(dir.history);
  const { results, load, faults } = await checkRunHistory(spec, ops, workload, {
    historyFile: dir.history, outDir: dir.root, contract: !plugins.target, log: (line) => progress.log(line),
  });
  const exitCode = exitForValidity(results.valid);
  Object.assign(runInfo, {
    status: 'checked',
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    regions: spec.regions,
    nemesis: spec.faults,
    faults,
    load,
    valid: results.valid,
    exitCode,
    command: process.argv.slice(1).join(' '),
    rerun,
  });
  writeJson(dir.runJson, runInfo);
  process.off('exit', onExit);
  await writeReports(dir.root, { history: ops, results, run: runInfo });
  if (exitCode === EXIT.valid && !spec.keepData) {
    const bound = boundRunData(dir);
    runInfo.dataBound = bound;
    writeJson(dir.runJson, runInfo);
    progress.log(`rift: the run passed: deleted data/ and cut ${bound.logsTrimmed.length} large log(s), ${(bound.freedBytes / 1e6).toFixed(1)} MB freed (--keep-data keeps them)`);
  }
  refreshStoreIndex(spec.storeDir, (line) => progress.log(line));
  return { dir, results, exitCode };
}
