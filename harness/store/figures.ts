/**
 * The figures of one run that the store compares across runs (index, trends, `rift diff`), read from what the run
 * left: run.json (duration, achieved load, fault coverage) and results.json (convergence windows, availability,
 * latency). Every figure is optional: a run that crashed, an old run or a target without probes lacks some, and a
 * missing figure is shown as missing, never as zero.
 */
import type { IndexedOp } from '../core/op.ts';
import { pairOps } from '../history/pairs.ts';
import { summarizeLatencies, type LatencySummary } from '../../checkers/stats.ts';
import { convergenceTimesMs, percentile } from '../suite/gates.ts';
import { coverageRows } from '../../reports/run-meta.ts';
import type { Results } from '../core/checker.ts';
import { undoneKinds } from '../core/faults.ts';

export interface RunFigures {
  durationS?: number;
  /** Client operations (convergence probes apart). */
  operations?: number;
  /** Client operations per second the main phase achieved (run.json `load`). */
  achievedRate?: number;
  /** Time from a fault window's end until every region had applied every write, over every window (as the gate reads it). */
  convergenceP50S?: number;
  convergenceP99S?: number;
  /** Fault windows after which the regions never converged. */
  notConverged?: number;
  /** Fractions (0..1) of client operations that completed ok inside and outside fault windows. */
  availabilityInside?: number;
  availabilityOutside?: number;
  /** Invoke to ok completion of every client operation, all kinds together. */
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  /** Faults that took effect (the ops undoing them apart). */
  faultsTookEffect?: number;
}

export type FigureKey = keyof RunFigures;

/** How each figure is named and shown, and which way is better (for the sign of a change). */
export const FIGURES: readonly { key: FigureKey; label: string; unit: string; better: 'higher' | 'lower' | 'neither'; percent?: boolean }[] = [
  { key: 'durationS', label: 'duration', unit: 's', better: 'neither' },
  { key: 'operations', label: 'client operations', unit: '', better: 'neither' },
  { key: 'achievedRate', label: 'achieved rate', unit: 'ops/s', better: 'higher' },
  { key: 'convergenceP50S', label: 'convergence time p50', unit: 's', better: 'lower' },
  { key: 'convergenceP99S', label: 'convergence time p99', unit: 's', better: 'lower' },
  { key: 'notConverged', label: 'windows not converged', unit: '', better: 'lower' },
  { key: 'availabilityInside', label: 'availability inside faults', unit: '%', better: 'higher', percent: true },
  { key: 'availabilityOutside', label: 'availability outside faults', unit: '%', better: 'higher', percent: true },
  { key: 'latencyP50Ms', label: 'latency p50', unit: 'ms', better: 'lower' },
  { key: 'latencyP99Ms', label: 'latency p99', unit: 'ms', better: 'lower' },
  { key: 'faultsTookEffect', label: 'faults that took effect', unit: '', better: 'neither' },
];

/**
 * Latency of every ok client operation, probes apart (results.json `figures.latencyMs`): the stats checker gives it
 * per operation kind only, and quantiles of parts do not add up to the quantile of the whole.
 */
export function clientLatency(ops: readonly IndexedOp[]): LatencySummary | undefined {
  let pairs;
  try {
    pairs = pairOps(ops);
  } catch {
    return undefined; // a malformed history: the checkers say so; there is no figure to give
  }
  const ms = pairs.filter((p) => p.type === 'ok' && p.complete && p.invoke.meta?.probe !== true).map((p) => (p.complete!.time - p.invoke.time) / 1e6);
  return ms.length ? summarizeLatencies(ms) : undefined;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (v: number | undefined, digits: number): number | undefined => (v === undefined ? undefined : Math.round(v * 10 ** digits) / 10 ** digits);

/** Latency p50/p99 from `figures.latencyMs`; a run from before it was recorded gets, for p99, the largest p99 of its operation kinds (a bound). */
function latency(results: Obj, stats: Obj | undefined): { p50?: number; p99?: number } {
  const all = obj(obj(results.figures)?.latencyMs);
  if (all) return { p50: num(all.p50), p99: num(all.p99) };
  const byF = Object.values(obj(stats?.latencyMs) ?? {}).map((s) => num(obj(s)?.p99)).filter((x): x is number => x !== undefined);
  return byF.length ? { p99: Math.max(...byF) } : {};
}

export function runFigures(runJson: unknown, resultsJson: unknown): RunFigures {
  const run = obj(runJson) ?? {};
  const results = obj(resultsJson) ?? {};
  const checkers = obj(results.checkers) ?? {};
  const stats = obj(checkers.stats);
  const total = obj(stats?.total);
  const availability = obj(obj(checkers.availability)?.overall);
  const { times, notConverged } = convergenceTimesMs({ valid: true, checkers: checkers as Results['checkers'] });
  const measuredConvergence = times.length > 0 || notConverged > 0;
  const lat = latency(results, stats);
  const rows = coverageRows(run.faults);
  const figures: RunFigures = {
    durationS: round(num(run.durationMs) !== undefined ? num(run.durationMs)! / 1000 : undefined, 1),
    operations: total ? (num(total.ok) ?? 0) + (num(total.fail) ?? 0) + (num(total.info) ?? 0) : undefined,
    achievedRate: num(obj(run.load)?.achievedRate),
    convergenceP50S: times.length ? round(percentile(times, 50) / 1000, 3) : undefined,
    convergenceP99S: times.length ? round(percentile(times, 99) / 1000, 3) : undefined,
    notConverged: measuredConvergence ? notConverged : undefined,
    availabilityInside: round(num(obj(availability?.inside)?.fraction), 4),
    availabilityOutside: round(num(obj(availability?.outside)?.fraction), 4),
    latencyP50Ms: round(lat.p50, 1),
    latencyP99Ms: round(lat.p99, 1),
    faultsTookEffect: rows ? rows.filter((r) => undoneKinds(r.kind).length === 0).reduce((n, r) => n + r.tookEffect, 0) : undefined,
  };
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)) as RunFigures;
}
