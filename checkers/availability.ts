import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { nemesisPairs, pairOps } from '../harness/history/pairs.ts';

/** A fault in force: from the `info` of the fault op to the `info` of the op that undid it. */
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

const UNDOES: Readonly<Record<string, readonly string[]>> = {
  heal: ['partition'],
  restart: ['kill'],
  resume: ['pause'],
  // The failover nemesis heals through the one global network heal, so any partition in force ends with it.
  'heal-failover': ['failover', 'partition'],
};

/** The fault kinds an op named `f` undoes; empty when `f` starts a fault. `clear-X` and `heal-X` undo `X`. */
export function undoneKinds(f: string): readonly string[] {
  if (Object.hasOwn(UNDOES, f)) return UNDOES[f];
  if (f.startsWith('clear-')) return [f.slice('clear-'.length)];
  if (f.startsWith('heal-')) return [f.slice('heal-'.length)];
  return [];
}

const tookEffect = (op: IndexedOp | undefined): boolean => op !== undefined && op.meta?.tookEffect !== false;

/**
 * Fault windows from the nemesis pairs. A fault whose `info` says it did not take effect opens no window, and an
 * undo that did not take effect closes none. An undo closes every open window of the kinds it undoes (one `heal`
 * ends all partitions in force).
 */
export function faultWindows(history: readonly IndexedOp[]): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open: FaultWindow[] = [];
  for (const { invoke, complete } of nemesisPairs(history)) {
    if (!tookEffect(complete)) continue;
    const info = complete!;
    const ends = undoneKinds(invoke.f);
    if (ends.length === 0) {
      const w: FaultWindow = { kind: invoke.f, start: info.time, startLine: info.line, value: info.value };
      windows.push(w);
      open.push(w);
      continue;
    }
    for (let i = open.length - 1; i >= 0; i--) {
      if (!ends.includes(open[i].kind)) continue;
      open[i].end = info.time;
      open[i].endLine = info.line;
      open.splice(i, 1);
    }
  }
  return windows;
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
      : `ok ${pct(overall.outside)} outside fault windows, ${pct(overall.inside)} inside (${windows.length} windows)`,
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
