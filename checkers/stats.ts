import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { tooLittleData } from './too-little-data.ts';

export interface Counts { ok: number; fail: number; info: number }

export interface LatencySummary { count: number; p50: number; p95: number; p99: number; max: number }

export interface ThroughputPoint { second: number; ok: number; fail: number; info: number }

export interface StatsResult extends CheckResult {
  /** true once there is an ok client operation to take figures of; unknown before (too little data). */
  valid: true | 'unknown';
  total: Counts;
  byF: Record<string, Counts>;
  byRegion: Record<string, Counts>;
  /** Milliseconds from invoke to ok completion; fail and info are left out because their time is a timeout or a refusal. */
  latencyMs: Record<string, LatencySummary>;
  /** Completions per second of run time, by outcome; the report draws it. */
  throughput: ThroughputPoint[];
  /** Convergence probes (`meta.probe`) are the harness watching, counted apart from the workload's operations. */
  probes: Counts;
}

const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

/** Nearest-rank quantile of an ascending array; undefined for an empty one. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: quantile(s, 0.5) ?? 0,
    p95: quantile(s, 0.95) ?? 0,
    p99: quantile(s, 0.99) ?? 0,
    max: s.length ? s[s.length - 1] : 0,
  };
}

const bump = (m: Record<string, Counts>, k: string, t: keyof Counts): void => {
  (m[k] ??= { ok: 0, fail: 0, info: 0 })[t]++;
};

/** Counts, latency quantiles and throughput of a history's client operations. Figures only: always valid. */
export function computeStats(history: readonly IndexedOp[]): StatsResult {
  const pairs: OpPair[] = pairOps(history);
  const total: Counts = { ok: 0, fail: 0, info: 0 };
  const byF: Record<string, Counts> = {};
  const byRegion: Record<string, Counts> = {};
  const lat = new Map<string, number[]>();
  const perSecond = new Map<number, ThroughputPoint>();
  const end = history.length ? history[history.length - 1].time : 0;
  const probes: Counts = { ok: 0, fail: 0, info: 0 };
  for (const p of pairs) {
    if (p.invoke.meta?.probe === true) {
      probes[p.type]++;
      continue;
    }
    const f = p.invoke.f;
    total[p.type]++;
    bump(byF, f, p.type);
    bump(byRegion, p.invoke.region ?? '(none)', p.type);
    if (p.type === 'ok' && p.complete) {
      let xs = lat.get(f);
      if (!xs) lat.set(f, (xs = []));
      xs.push((p.complete.time - p.invoke.time) / NS_PER_MS);
    }
    // An invoke the run never completed is counted at the end of the run, where its outcome became unknown.
    const second = Math.floor((p.complete?.time ?? end) / NS_PER_S);
    let pt = perSecond.get(second);
    if (!pt) perSecond.set(second, (pt = { second, ok: 0, fail: 0, info: 0 }));
    pt[p.type]++;
  }
  const latencyMs: Record<string, LatencySummary> = {};
  for (const [f, xs] of lat) latencyMs[f] = summarizeLatencies(xs);
  const throughput: ThroughputPoint[] = [];
  const seconds = [...perSecond.keys()];
  if (seconds.length) {
    // Empty seconds are filled in so that a stall (zero throughput during a fault) shows as a gap in the chart.
    const last = Math.max(...seconds);
    for (let s = 0; s <= last; s++) throughput.push(perSecond.get(s) ?? { second: s, ok: 0, fail: 0, info: 0 });
  }
  const scarce = tooLittleData(history, { count: 1, what: 'ok client operations' });
  return {
    valid: scarce ? 'unknown' : true,
    reason: `${total.ok + total.fail + total.info} operations: ${total.ok} ok, ${total.fail} fail, ${total.info} info${scarce ? ` (${scarce.reason})` : ''}`,
    total,
    byF,
    byRegion,
    latencyMs,
    throughput,
    probes,
  };
}

export function statsChecker(): Checker {
  return {
    name: 'stats',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => computeStats(history),
  };
}
