import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { quantile } from './stats.ts';
import { valueKey } from './value-key.ts';

export interface SetOptions {
  /**
   * The set claims linearizability: an element missing from a read that began after the element was known is a
   * violation (stale), not replication lag.
   */
  linearizable?: boolean;
  /** Cap on listed anomalies per kind; counts are always complete. */
  maxReported?: number;
}

/** Status of one element as seen from one region (CHECKERS §4.3, Jepsen set-full run per region). */
export type ElementStatus = 'stable' | 'lost' | 'never-read' | 'absent-at-end';

interface Read { line: number; invokeIndex: number; invokeTime: number; completeIndex: number; completeTime: number; region: string; final: boolean; elems: Set<string> }
interface Add { element: unknown; type: OpPair['type']; invokeLine: number; completeLine?: number; completeTime?: number; region?: string }

const NS_PER_MS = 1e6;
const QUANTILES = [0, 0.5, 0.95, 0.99, 1] as const;
const keyOf = (op: IndexedOp): string => op.key ?? '(no key)';
/** Elements compare by their JSON text, so 1 and "1" stay distinct. */

function latencySummary(xs: number[]): Record<string, number> | null {
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  const out: Record<string, number> = { count: xs.length };
  for (const q of QUANTILES) out[`p${q * 100}`] = quantile(xs, q)!;
  return out;
}

/**
 * Add-only set checks (CHECKERS §4.3) per key. In any read: `unexpected` elements (never attempted, or whose add
 * failed) and duplicates. Per (element, region), the set-full state machine: `lost` when the region's last read
 * (a final one, unless the set claims linearizability) began after the element was known and lacks it; stable
 * latency, which across regions is the replication lag distribution. `recovered`: indeterminate adds present in a
 * region's final read. Elements that were ever removed are left out of lost/stale: an add-only analysis cannot judge them.
 * An element is lost only when no region's last final read holds it; missing from some regions but held by another
 * it is `notConverged`, a convergence finding rather than a lost write.
 */
export function checkSet(history: readonly IndexedOp[], opts: SetOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const byKey = new Map<string, OpPair[]>();
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true);
  // Keys that other data types use (registers, counters, lists) are not sets, even if read.
  const SET_FS = new Set(['add', 'remove', 'read']);
  const otherKeys = new Set(pairs.filter((p) => !SET_FS.has(p.invoke.f)).map((p) => keyOf(p.invoke)));
  for (const p of pairs) {
    if (!SET_FS.has(p.invoke.f) || otherKeys.has(keyOf(p.invoke))) continue;
    const k = keyOf(p.invoke);
    let xs = byKey.get(k);
    if (!xs) byKey.set(k, (xs = []));
    xs.push(p);
  }

  // Lost is counted per (element, region); whether the element's add was acknowledged is per element.
  const lostElements = new Map<string, boolean>();
  const counts = { attempted: 0, acked: 0, lost: 0, unexpected: 0, recovered: 0, duplicates: 0, stale: 0, stable: 0, neverRead: 0, absentAtEnd: 0, malformed: 0, notConverged: 0 };
  const listed: Record<'lost' | 'unexpected' | 'recovered' | 'duplicates' | 'stale' | 'malformed' | 'notConverged', unknown[]> = {
    lost: [], unexpected: [], recovered: [], duplicates: [], stale: [], malformed: [], notConverged: [],
  };
  const list = (kind: keyof typeof listed, x: unknown) => {
    if (listed[kind].length < maxReported) listed[kind].push(x);
  };
  const latAll: number[] = [];
  const latByRegion = new Map<string, number[]>();
  /** `origin→observer`: where the add was sent, where it was read; the replication lag matrix. */
  const latByPair = new Map<string, number[]>();
  const unchecked: string[] = [];
  let totalReads = 0;
  let regionsWithFinal = 0;

  for (const [key, ps] of byKey) {
    const adds = new Map<string, Add>();
    const removed = new Set<string>();
    const reads: Read[] = [];
    for (const p of ps) {
      const f = p.invoke.f;
      if (f === 'remove') {
        if (p.type !== 'fail') removed.add(valueKey(p.invoke.value));
        continue;
      }
      if (f === 'add') {
        const k = valueKey(p.invoke.value);
        const prev = adds.get(k);
        // If an element is added twice, the strongest outcome decides (an ok add makes it acknowledged).
        const rank = { ok: 2, info: 1, fail: 0 } as const;
        if (!prev || rank[p.type] > rank[prev.type]) {
          adds.set(k, { element: p.invoke.value, type: p.type, invokeLine: p.invoke.line, completeLine: p.complete?.line, completeTime: p.complete?.time, region: p.complete?.region ?? p.invoke.region });
        }
        continue;
      }
      if (p.type !== 'ok' || !p.complete) continue;
      const v = p.complete.value === null ? [] : p.complete.value;
      if (!Array.isArray(v)) {
        counts.malformed++;
        list('malformed', { key, line: p.complete.line, detail: `a set read must return an array (got ${JSON.stringify(v)})` });
        continue;
      }
      const region = p.complete.region ?? p.invoke.region ?? '(none)';
      const elems = new Set<string>();
      const dup = new Set<string>();
      for (const e of v) {
        const k = valueKey(e);
        if (elems.has(k)) dup.add(k);
        elems.add(k);
      }
      for (const d of dup) {
        counts.duplicates++;
        list('duplicates', { key, element: JSON.parse(d), line: p.complete.line, region });
      }
      const final = p.invoke.meta?.final === true || p.complete.meta?.final === true;
      reads.push({ line: p.complete.line, invokeIndex: p.invoke.index, invokeTime: p.invoke.time, completeIndex: p.complete.index, completeTime: p.complete.time, region, final, elems });
    }
    totalReads += reads.length;
    if (removed.size) unchecked.push(`key ${key}: ${removed.size} removed elements left out of lost/stale analysis`);

    let attempted = 0;
    for (const a of adds.values()) {
      if (a.type === 'fail') continue;
      attempted++;
      if (a.type === 'ok') counts.acked++;
    }
    counts.attempted += attempted;

    // known(e): the earliest of its add's ok and the completion of the first read (any region) that saw it.
    const known = new Map<string, number>();
    for (const [k, a] of adds) if (a.type === 'ok' && a.completeTime !== undefined) known.set(k, a.completeTime);
    for (const r of reads) {
      for (const k of r.elems) if ((known.get(k) ?? Infinity) > r.completeTime) known.set(k, r.completeTime);
    }

    const byRegion = new Map<string, Read[]>();
    for (const r of reads) {
      let xs = byRegion.get(r.region);
      if (!xs) byRegion.set(r.region, (xs = []));
      xs.push(r);
    }
    // A lost claim is confirmed by the last final read of every region: an element some region still holds at the
    // end was not lost, the regions lacking it did not converge (the convergence checker's finding).
    const heldAtEnd = new Map<string, string[]>();
    for (const [region, rs] of byRegion) {
      const finals = rs.filter((r) => r.final);
      if (finals.length === 0) continue;
      const last = finals.reduce((a, b) => (b.completeIndex > a.completeIndex ? b : a));
      for (const k of last.elems) heldAtEnd.set(k, [...(heldAtEnd.get(k) ?? []), region]);
    }
    for (const [region, rs] of byRegion) {
      rs.sort((a, b) => a.invokeIndex - b.invokeIndex);
      const finals = rs.filter((r) => r.final);
      const last = finals.length ? finals.reduce((a, b) => (b.completeIndex > a.completeIndex ? b : a)) : undefined;
      if (last) {
        regionsWithFinal++;
        for (const k of last.elems) {
          const a = adds.get(k);
          if (a?.type === 'info') {
            counts.recovered++;
            list('recovered', { key, element: a.element, region, addLine: a.invokeLine });
          }
        }
      }
      const seenUnexpected = new Set<string>();
      for (const r of rs) {
        for (const k of r.elems) {
          const a = adds.get(k);
          if ((a && a.type !== 'fail') || seenUnexpected.has(k)) continue;
          seenUnexpected.add(k);
          counts.unexpected++;
          list('unexpected', { key, element: JSON.parse(k), region, line: r.line, ...(a ? { failedAddLine: a.invokeLine } : {}) });
        }
      }

      const present = new Map<string, number[]>();
      rs.forEach((r, i) => {
        for (const k of r.elems) {
          let xs = present.get(k);
          if (!xs) present.set(k, (xs = []));
          xs.push(i);
        }
      });
      const lats = latByRegion.get(region) ?? [];
      latByRegion.set(region, lats);
      for (const [k, a] of adds) {
        if (a.type === 'fail' || removed.has(k)) continue;
        const idx = present.get(k) ?? [];
        let absent = rs.length - 1;
        for (let j = idx.length - 1; j >= 0 && idx[j] === absent; j--) absent--;
        const lastPresent = idx.length ? rs[idx[idx.length - 1]] : undefined;
        const lastAbsent = absent >= 0 ? rs[absent] : undefined;
        const kn = known.get(k);
        let status: ElementStatus;
        if (lastPresent && (!lastAbsent || lastPresent.invokeIndex > lastAbsent.invokeIndex)) status = 'stable';
        else if (kn !== undefined && lastAbsent && lastAbsent.invokeTime > kn) {
          // Without a final read, the region's last read may simply have preceded replication: only a
          // final read (or a linearizable claim) makes the absence conclusive.
          status = lastAbsent.final || opts.linearizable ? 'lost' : 'absent-at-end';
        } else status = 'never-read';

        if (status === 'stable') {
          counts.stable++;
          const latency = lastAbsent && kn !== undefined ? Math.max(0, lastAbsent.invokeTime + 1 - kn) / NS_PER_MS : 0;
          lats.push(latency);
          if (a.region !== undefined) {
            const pair = `${a.region}→${region}`;
            const xs = latByPair.get(pair) ?? [];
            xs.push(latency);
            latByPair.set(pair, xs);
          }
          latAll.push(latency);
          if (latency > 0) {
            counts.stale++;
            list('stale', { key, element: a.element, region, latencyMs: latency, lastAbsentLine: lastAbsent!.line });
          }
        } else if (status === 'lost' && heldAtEnd.has(k)) {
          counts.notConverged++;
          list('notConverged', { key, element: a.element, region, heldBy: heldAtEnd.get(k), lastAbsentLine: lastAbsent!.line });
        } else if (status === 'lost') {
          counts.lost++;
          lostElements.set(`${key}\u0000${JSON.stringify(a.element)}`, a.type === 'ok');
          list('lost', { key, element: a.element, region, addLine: a.completeLine ?? a.invokeLine, addType: a.type, lastAbsentLine: lastAbsent!.line, ...(lastPresent ? { lastPresentLine: lastPresent.line } : {}) });
        } else if (status === 'absent-at-end') counts.absentAtEnd++;
        else counts.neverRead++;
      }
    }
  }

  const latencyMs: Record<string, unknown> = { overall: latencySummary(latAll) };
  const perRegion: Record<string, unknown> = {};
  for (const [r, xs] of latByRegion) perRegion[r] = latencySummary(xs);
  const perPair: Record<string, unknown> = {};
  for (const [pr, xs] of [...latByPair].sort((x, y) => (x[0] < y[0] ? -1 : 1))) perPair[pr] = latencySummary(xs);
  latencyMs.byRegionPair = perPair;
  latencyMs.byRegion = perRegion;

  if (regionsWithFinal === 0) unchecked.push("no final reads (meta.final): an element missing from a region's last read counts as absent-at-end, not lost");
  const problems: string[] = [];
  if (counts.lost) {
    const acked = [...lostElements.values()].filter(Boolean).length;
    // An element whose add was indeterminate is lost once a read saw it and it then vanished (a dirty read).
    problems.push(`${counts.lost} lost (${lostElements.size} element${lostElements.size === 1 ? '' : 's'}, ${acked} with an acknowledged add)`);
  }
  if (counts.unexpected) problems.push(`${counts.unexpected} unexpected`);
  if (counts.duplicates) problems.push(`${counts.duplicates} duplicated`);
  if (counts.stale && opts.linearizable) problems.push(`${counts.stale} stale`);
  let valid: Validity;
  let reason: string;
  if (problems.length) {
    valid = false;
    reason = problems.join(', ');
  } else if (counts.malformed) {
    valid = 'unknown';
    reason = `${counts.malformed} malformed set reads`;
  } else if (counts.stable === 0) {
    valid = 'unknown';
    reason = totalReads === 0 ? 'no ok set reads' : 'no element became stable in any region';
  } else {
    valid = true;
    reason = `${counts.attempted} attempted, ${counts.acked} acknowledged, ${counts.recovered} recovered; none lost` +
      (counts.notConverged ? `; ${counts.notConverged} missing from some region's final read but held by another (not converged, not lost)` : '');
  }
  return { valid, reason, counts, ...listed, latencyMs, ...(unchecked.length ? { unchecked } : {}) };
}

export function setChecker(opts: SetOptions = {}): Checker {
  return {
    name: 'set',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkSet(history, opts),
  };
}
