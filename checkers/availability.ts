import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import { tooLittleData } from './too-little-data.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { faultTimeline } from '../harness/core/faults.ts';

/** A fault window as availability reports it: `startLine` is the line of the info that says it took effect. */
export interface FaultWindow {
  kind: string;
  /** ns, time of the fault's `info`. */
  start: number;
  /** ns, time of the undoing op's `info`; absent when the fault was still in force when the history ended. */
  end?: number;
  startLine: number;
  endLine?: number;
  /** What the nemesis said it did. */
  value: unknown;
}

export function faultWindows(history: readonly IndexedOp[]): FaultWindow[] {
  return faultTimeline(history).windows.map((w) => ({
    kind: w.kind, start: w.start, ...(w.end !== undefined ? { end: w.end } : {}),
    startLine: w.effectLine, ...(w.endLine !== undefined ? { endLine: w.endLine } : {}), value: w.value,
  }));
}

export interface Availability {
  ok: number;
  total: number;
  /** ok / total; null when no operation fell here. */
  fraction: number | null;
}

export interface RegionAvailability {
  inside: Availability;
  outside: Availability;
  byKind: Record<string, Availability>;
}

export interface AvailabilityOptions {
  /** If set, the verdict is false when a region's fraction ok outside fault windows is below this. */
  minOutside?: number;
}

const empty = (): Availability => ({ ok: 0, total: 0, fraction: null });
const add = (a: Availability, ok: boolean): void => {
  a.total++;
  if (ok) a.ok++;
  a.fraction = a.ok / a.total;
};

/**
 * Fraction of client operations that completed ok, per region, split by whether they were invoked while some fault
 * was in force. Probes are the harness watching, not clients asking, and are left out.
 */
export function computeAvailability(history: readonly IndexedOp[], opts: AvailabilityOptions = {}): CheckResult {
  const scarce = tooLittleData(history, { count: 1, what: 'ok client operations' });
  if (scarce) return scarce;
  const windows = faultWindows(history);
  const regions: Record<string, RegionAvailability> = {};
  const overall: RegionAvailability = { inside: empty(), outside: empty(), byKind: {} };
  for (const p of pairOps(history)) {
    if (p.invoke.meta?.probe === true) continue;
    const t = p.invoke.time;
    const kinds = new Set(windows.filter((w) => w.start <= t && (w.end === undefined || t < w.end)).map((w) => w.kind));
    const ok = p.type === 'ok';
    const r = (regions[p.invoke.region ?? '(none)'] ??= { inside: empty(), outside: empty(), byKind: {} });
    for (const agg of [r, overall]) {
      add(kinds.size > 0 ? agg.inside : agg.outside, ok);
      for (const k of kinds) add((agg.byKind[k] ??= empty()), ok);
    }
  }
  let valid: Validity = true;
  const below: string[] = [];
  if (opts.minOutside !== undefined) {
    for (const [name, r] of Object.entries(regions)) {
      if (r.outside.fraction !== null && r.outside.fraction < opts.minOutside) below.push(name);
    }
    if (below.length) valid = false;
  }
  const pct = (a: Availability) => (a.fraction === null ? 'n/a' : `${(a.fraction * 100).toFixed(1)}%`);
  return {
    valid,
    reason: below.length
      ? `availability outside fault windows below ${opts.minOutside} in ${below.join(', ')}`
      : `ok ${pct(overall.outside)} outside fault windows, ${pct(overall.inside)} inside (${windows.length} window${windows.length === 1 ? '' : 's'})`,
    // Without a threshold the figures are a measurement, not a judgement; the report says which.
    threshold: opts.minOutside ?? null,
    windows,
    overall,
    regions,
  };
}

export function availabilityChecker(opts: AvailabilityOptions = {}): Checker {
  return {
    name: 'availability',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => computeAvailability(history, opts),
  };
}
