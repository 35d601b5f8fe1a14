/** summary.json of a suite run: what ran, each run's gates and checkers, and the suite's verdict and exit code. */
import type { Results, Validity } from '../core/checker.ts';
import type { GateVerdict } from './gates.ts';
import type { RunFigures } from '../store/figures.ts';

export type RunStatus = 'passed' | 'failed' | 'unknown' | 'error' | 'skipped';

export interface CheckerLine {
  valid: Validity;
  /** Whether a contract promise rests on it; a measurement never fails a run. */
  promised: boolean;
  reason?: string;
}

export interface SuiteRunSummary {
  project: string;
  seed: number;
  status: RunStatus;
  /** The command that repeats this run alone. */
  rerun: string;
  /** The run's folder and report, when it got that far. */
  dir?: string;
  report?: string;
  durationMs?: number;
  gates: GateVerdict[];
  checkers: Record<string, CheckerLine>;
  /** The run's figures (harness/store/figures.ts), kept here so the store's trends outlive the run's folder. */
  figures?: RunFigures;
  /** Why the run did not finish (status error) or was not started (skipped). */
  error?: string;
}

export interface SuiteSummary {
  suite: string;
  config: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  shard?: { index: number; count: number };
  parallel: number;
  bugs: string[];
  budgetS?: number;
  /** `--max-failures`: runs after that many failures were skipped. */
  maxFailures?: number;
  status: Exclude<RunStatus, 'skipped'>;
  exitCode: number;
  counts: Record<RunStatus, number>;
  runs: SuiteRunSummary[];
}

/** A run passes when every gate passed; one false gate fails it; otherwise an undecided gate leaves it unknown. */
export function statusOf(gates: readonly GateVerdict[]): RunStatus {
  if (gates.some((g) => g.passed === false)) return 'failed';
  if (gates.some((g) => g.passed === 'unknown')) return 'unknown';
  return 'passed';
}

export function checkerLines(results: Results): Record<string, CheckerLine> {
  const promised = new Set(results.contract?.lines.map((l) => l.checker) ?? Object.keys(results.checkers));
  return Object.fromEntries(Object.entries(results.checkers).map(([name, r]) => [name, {
    valid: r.valid, promised: promised.has(name), ...(r.reason !== undefined ? { reason: String(r.reason) } : {}),
  }]));
}

/**
 * The suite's status and exit code (README "Exit codes"): a failed gate anywhere is 1 (the release decision is
 * no); else a run that could not finish is 70; else an undecided gate is 2; else 0. Runs skipped (time budget,
 * --max-failures) do not count.
 */
export function suiteStatus(runs: readonly SuiteRunSummary[]): { status: SuiteSummary['status']; exitCode: number } {
  if (runs.some((r) => r.status === 'failed')) return { status: 'failed', exitCode: 1 };
  if (runs.some((r) => r.status === 'error')) return { status: 'error', exitCode: 70 };
  if (runs.some((r) => r.status === 'unknown')) return { status: 'unknown', exitCode: 2 };
  return { status: 'passed', exitCode: 0 };
}

export function countStatuses(runs: readonly SuiteRunSummary[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { passed: 0, failed: 0, unknown: 0, error: 0, skipped: 0 };
  for (const r of runs) counts[r.status]++;
  return counts;
}
