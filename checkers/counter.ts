import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';

/** Closed interval of admissible counter values. */
export type Interval = [number, number];

export interface AdmissibleSet {
  intervals: Interval[];
  /** False when the interval count hit the cap and the set was widened to its hull (still sound, no longer exact). */
  exact: boolean;
}

/**
 * Every value `okSum + ΣS` for S a subset of the info deltas (CHECKERS §4.2), as a union of disjoint closed
 * intervals sorted ascending. For integer deltas, touching intervals merge (`[1,2] ∪ [3,4] = [1,4]`), which is what
 * keeps the set small for the usual ±small deltas. Past `maxIntervals` the hull is returned and `exact` is false.
 */
export function admissibleFinals(okSum: number, infoDeltas: readonly number[], maxIntervals = 10_000): AdmissibleSet {
  const integral = Number.isInteger(okSum) && infoDeltas.every(Number.isInteger);
  const gap = integral ? 1 : 0;
  let set: Interval[] = [[okSum, okSum]];
  for (const d of infoDeltas) {
    if (d === 0) continue;
    const shifted = set.map(([lo, hi]): Interval => [lo + d, hi + d]);
    set = mergeIntervals(set.concat(shifted), gap);
    if (set.length > maxIntervals) {
      const neg = infoDeltas.reduce((s, x) => s + Math.min(0, x), 0);
      const pos = infoDeltas.reduce((s, x) => s + Math.max(0, x), 0);
      return { intervals: [[okSum + neg, okSum + pos]], exact: false };
    }
  }
  return { intervals: set, exact: true };
}

function mergeIntervals(xs: Interval[], gap: number): Interval[] {
  xs.sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [lo, hi] of xs) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + gap) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function inIntervals(set: readonly Interval[], v: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (v < set[mid][0]) hi = mid - 1;
    else if (v > set[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

export interface CounterOptions {
  /**
   * The counter claims linearizability: each read must also reflect every increment acknowledged before it was
   * invoked (Jepsen's `counter` lower bound). Off by default, for eventually consistent counters.
   */
  linearizable?: boolean;
  maxIntervals?: number;
  /** Cap on listed anomalies per kind; counts are always complete. */
  maxReported?: number;
}

export type CounterAnomalyKind = 'final-not-admissible' | 'read-out-of-bounds' | 'region-regression' | 'malformed';

export interface CounterAnomaly {
  kind: CounterAnomalyKind;
  key: string;
  line: number;
  region?: string;
  value?: unknown;
  detail: string;
}

interface Incr { invokeIndex: number; completeIndex: number; delta: number; type: OpPair['type'] }

interface RegionRead { region: string; value: number; line: number; invokeIndex: number; completeIndex: number }

/** Reads that returned less than the highest read in the same region completed before they were invoked. */
function regressions(reads: readonly RegionRead[]): { read: RegionRead; before: RegionRead }[] {
  const out: { read: RegionRead; before: RegionRead }[] = [];
  const byRegion = new Map<string, RegionRead[]>();
  for (const r of reads) {
    let xs = byRegion.get(r.region);
    if (!xs) byRegion.set(r.region, (xs = []));
    xs.push(r);
  }
  for (const xs of byRegion.values()) {
    const byInvoke = [...xs].sort((a, b) => a.invokeIndex - b.invokeIndex);
    const byComplete = [...xs].sort((a, b) => a.completeIndex - b.completeIndex);
    let j = 0;
    let best: RegionRead | undefined;
    for (const r of byInvoke) {
      while (j < byComplete.length && byComplete[j].completeIndex < r.invokeIndex) {
        if (!best || byComplete[j].value > best.value) best = byComplete[j];
        j++;
      }
      if (best && r.value < best.value) out.push({ read: r, before: best });
    }
  }
  return out;
}
const keyOf = (op: IndexedOp): string => op.key ?? '(no key)';

/** A counter read of an absent key is null on the layer; it means the initial value 0. */
const readNumber = (v: unknown): number | undefined => (v === null ? 0 : typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Sums the deltas of increments invoked before event index `at`, split by sign (Σ max(δ,0), Σ min(δ,0)). */
class PrefixSums {
  private readonly at: number[] = [];
  private readonly pos: number[] = [0];
  private readonly neg: number[] = [0];
  constructor(incrs: readonly { index: number; delta: number }[]) {
    for (const x of incrs) {
      this.at.push(x.index);
      this.pos.push(this.pos[this.pos.length - 1] + Math.max(0, x.delta));
      this.neg.push(this.neg[this.neg.length - 1] + Math.min(0, x.delta));
    }
  }
  before(index: number): { pos: number; neg: number } {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return { pos: this.pos[lo], neg: this.neg[lo] };
  }
}

/**
 * PN-counter checks (CHECKERS §4.2), per key:
 * - every final read (`meta.final`) lies in the exact set of admissible finals: ok deltas plus any subset of info deltas;
 * - every read during the run lies within what the non-failed increments invoked before its completion could
 *   make (`read ≤ Σ positive`, `read ≥ Σ negative`); with `linearizable`, also within what the increments
 *   acknowledged before its invocation force;
 * - on a key with only non-negative deltas (a G-counter), reads from one region never decrease.
 */
export function checkCounter(history: readonly IndexedOp[], opts: CounterOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true);
  const byKey = new Map<string, OpPair[]>();
  // Keys that other data types use (sets, registers, lists) are not counters, even if read.
  const otherKeys = new Set(pairs.filter((p) => p.invoke.f !== 'incr' && p.invoke.f !== 'read').map((p) => keyOf(p.invoke)));
  for (const p of pairs) {
    if ((p.invoke.f !== 'incr' && p.invoke.f !== 'read') || otherKeys.has(keyOf(p.invoke))) continue;
    const k = keyOf(p.invoke);
    let xs = byKey.get(k);
    if (!xs) byKey.set(k, (xs = []));
    xs.push(p);
  }
  const anomalies: CounterAnomaly[] = [];
  const counts: Record<CounterAnomalyKind, number> = { 'final-not-admissible': 0, 'read-out-of-bounds': 0, 'region-regression': 0, malformed: 0 };
  const report = (a: CounterAnomaly) => {
    if (counts[a.kind]++ < maxReported) anomalies.push(a);
  };
  const keys: Record<string, unknown> = {};
  let finalReads = 0;
  let reads = 0;

  for (const [key, ps] of byKey) {
    const incrs: Incr[] = [];
    let okSum = 0;
    const infoDeltas: number[] = [];
    let nonNegative = true;
    for (const p of ps) {
      if (p.invoke.f !== 'incr') continue;
      const delta = p.invoke.value;
      if (typeof delta !== 'number' || !Number.isFinite(delta)) {
        report({ kind: 'malformed', key, line: p.invoke.line, value: delta, detail: `incr value must be a finite number (got ${JSON.stringify(delta)})` });
        continue;
      }
      if (delta < 0 && p.type !== 'fail') nonNegative = false;
      incrs.push({ invokeIndex: p.invoke.index, completeIndex: p.complete?.index ?? Infinity, delta, type: p.type });
      if (p.type === 'ok') okSum += delta;
      else if (p.type === 'info') infoDeltas.push(delta);
    }
    const admissible = admissibleFinals(okSum, infoDeltas, opts.maxIntervals);
    const attempted = new PrefixSums(incrs.filter((x) => x.type !== 'fail').map((x) => ({ index: x.invokeIndex, delta: x.delta })));
    const acked = new PrefixSums(
      incrs.filter((x) => x.type === 'ok').map((x) => ({ index: x.completeIndex, delta: x.delta })).sort((a, b) => a.index - b.index),
    );
    const regionReads: RegionRead[] = [];
    const finals: { line: number; region?: string; value: number; admissible: boolean }[] = [];

    for (const p of ps) {
      if (p.invoke.f !== 'read' || p.type !== 'ok' || !p.complete) continue;
      const region = p.complete.region ?? p.invoke.region;
      const v = readNumber(p.complete.value);
      if (v === undefined) {
        report({ kind: 'malformed', key, line: p.complete.line, region, value: p.complete.value, detail: 'a counter read must return a number or null' });
        continue;
      }
      reads++;
      if (p.invoke.meta?.final === true || p.complete.meta?.final === true) {
        finalReads++;
        const ok = inIntervals(admissible.intervals, v);
        finals.push({ line: p.complete.line, ...(region ? { region } : {}), value: v, admissible: ok });
        if (!ok) {
          report({ kind: 'final-not-admissible', key, line: p.complete.line, region, value: v, detail: `final read ${v} is not ok-sum ${okSum} plus any subset of the ${infoDeltas.length} indeterminate increments` });
        }
      }
      const could = attempted.before(p.complete.index);
      let upper = could.pos;
      let lower = could.neg;
      if (opts.linearizable) {
        const must = acked.before(p.invoke.index);
        upper += must.neg;
        lower += must.pos;
      }
      if (v > upper || v < lower) {
        report({ kind: 'read-out-of-bounds', key, line: p.complete.line, region, value: v, detail: `read ${v} outside [${lower}, ${upper}], the values the increments invoked before it completed allow` });
      }
      if (region !== undefined) regionReads.push({ region, value: v, line: p.complete.line, invokeIndex: p.invoke.index, completeIndex: p.complete.index });
    }
    if (nonNegative) {
      for (const r of regressions(regionReads)) {
        report({ kind: 'region-regression', key, line: r.read.line, region: r.read.region, value: r.read.value, detail: `G-counter read ${r.read.value} in ${r.read.region} after a read of ${r.before.value} there (line ${r.before.line}) had completed` });
      }
    }
    keys[key] = {
      okSum,
      indeterminate: infoDeltas.length,
      admissible: admissible.intervals.length > 20 ? { first: admissible.intervals.slice(0, 20), count: admissible.intervals.length } : admissible.intervals,
      exact: admissible.exact,
      finals,
    };
  }

  const found = (Object.keys(counts) as CounterAnomalyKind[]).filter((k) => k !== 'malformed' && counts[k] > 0);
  let valid: Validity = true;
  let reason: string;
  const unchecked: string[] = [];
  if (finalReads === 0) unchecked.push('no final reads (meta.final): admissibility of the final value was not checked');
  if (found.length) {
    valid = false;
    reason = found.map((k) => `${counts[k]} ${k}`).join(', ');
  } else if (counts.malformed > 0) {
    valid = 'unknown';
    reason = `${counts.malformed} malformed counter operations`;
  } else if (reads === 0) {
    valid = 'unknown';
    reason = 'no ok counter reads to check';
  } else {
    reason = `${reads} reads within bounds${finalReads ? `, ${finalReads} final reads admissible` : ''}`;
  }
  return { valid, reason, counts, anomalies, keys, ...(unchecked.length ? { unchecked } : {}) };
}

export function counterChecker(opts: CounterOptions = {}): Checker {
  return {
    name: 'counter',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkCounter(history, opts),
  };
}
