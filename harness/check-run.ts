import type { RunSpec } from './core/run-spec.ts';
import type { Results } from './core/checker.ts';
import type { IndexedOp, Op } from './core/op.ts';
import type { Workload, WorkloadOptions } from './core/workload.ts';
import { timeOrderWarning } from './history/order.ts';
import { faultCoverage } from './core/faults.ts';
import { composeChecks, resultNames } from '../checkers/compose.ts';
import { applyContract, contractLines } from './contracts/contract.ts';
import { statsChecker } from '../checkers/stats.ts';
import { availabilityChecker } from '../checkers/availability.ts';
import { clientLatency } from './store/figures.ts';

export interface LoadFigures {
  askedRate: number;
  achievedRate: number;
  concurrency: number;
}

/** Client operations per second the main phase really issued (final reads and probes apart), against the asked rate. */
export function achievedLoad(ops: readonly Op[], spec: Pick<RunSpec, 'rate' | 'timeLimitS' | 'concurrency'>): LoadFigures {
  const issued = ops.filter((o) => o.type === 'invoke' && o.process !== 'nemesis' && o.meta?.probe !== true && o.meta?.final !== true).length;
  return { askedRate: spec.rate, achievedRate: Math.round((issued / spec.timeLimitS) * 10) / 10, concurrency: spec.concurrency };
}

/** The workload a run's spec names, built as the run built it, so its history can be judged by the same checkers. */
export function workloadOf(spec: RunSpec, make: (opts: WorkloadOptions) => Workload): Workload {
  return make({
    regions: spec.regions, keyPrefix: spec.keyPrefix, keyCount: spec.keyCount, checkBudgetMs: spec.checkBudgetS * 1000,
    ...(spec.readRatio !== undefined ? { readRatio: spec.readRatio } : {}),
    target: spec.target,
  });
}

/**
 * Judges a run's history (step 6 of the runner): the workload's checkers plus stats and availability, held to the
 * target's contract unless the run is of a user's own target (no promises known: every checker counts). Used by
 * `run` and by `rift report` for a run that was interrupted before it could check itself.
 */
export async function checkRunHistory(
  spec: RunSpec,
  ops: IndexedOp[],
  workload: Workload,
  opts: { historyFile: string; outDir: string; contract: boolean; log: (line: string) => void },
): Promise<{ results: Results; load: LoadFigures; faults: ReturnType<typeof faultCoverage> }> {
  const backwards = timeOrderWarning(ops, opts.historyFile, 'lines');
  if (backwards) opts.log(`rift: ${backwards}`);
  const load = achievedLoad(ops, spec);
  if (load.achievedRate < 0.9 * spec.rate) {
    opts.log(`rift: warning: asked for ${spec.rate} client operations/s, achieved ${load.achievedRate} (the system under test or this machine set the pace; run.json "load")`);
  }
  const checkers = [...workload.checkers, statsChecker(), availabilityChecker()];
  const checked = await composeChecks(checkers, ops, { budgetMs: spec.checkBudgetS * 1000, outDir: opts.outDir });
  const results = opts.contract
    ? applyContract(spec.target, contractLines(spec.target, checkers, resultNames(checkers), ops, spec.keyPrefix ? `${spec.keyPrefix}*` : 'all keys', spec.keyPrefix), checked)
    : checked;
  // A run's own history is checked in line order, null reads meaning absent (HISTORY.md); results.json says so.
  results.input = { file: opts.historyFile, format: 'jsonl', order: 'lines', nilRead: 'absent' };
  const latencyMs = clientLatency(ops);
  if (latencyMs) results.figures = { latencyMs };
  return { results, load, faults: faultCoverage(ops) };
}
