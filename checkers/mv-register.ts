import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import { anomalyVerdict } from './anomaly-verdict.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { valueKey } from './value-key.ts';

export interface MvRegisterOptions {
  /** Cap on listed anomalies per kind; counts are always complete. */
  maxReported?: number;
  /**
   * Reads see the acknowledged writes of their own region (true of the layer's normal tier): then every later read in
   * the region a write was made in must show it, or a write that saw it, not only the final reads.
   */
  readsSeeLocalWrites?: boolean;
}

type Clock = Record<string, number>;

const keyOf = (op: IndexedOp): string => op.key ?? '(no key)';
const line = (p: OpPair): number => (p.complete ?? p.invoke).line;

function clockOf(p: OpPair): Clock | undefined {
  const c = p.complete?.meta?.vclock;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  return Object.values(c).every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ? (c as Clock) : undefined;
}

/** a ≥ b in every component and a ≠ b: the write with clock a had seen the write with clock b. */
function dominates(a: Clock, b: Clock): boolean {
  let strict = false;
  for (const r of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[r] ?? 0;
    const y = b[r] ?? 0;
    if (x < y) return false;
    if (x > y) strict = true;
  }
  return strict;
}

const readValues = (v: unknown): string[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v.map(valueKey) : [valueKey(v)]);

/**
 * Multi-value register semantics, per key: writes of unique values, each acknowledged write carrying its vector
 * clock (`meta.vclock`, layer/API.md). A region's final read must show exactly the acknowledged writes no other
 * acknowledged write has seen (the maximal ones): `lostSibling` when one of those is missing (a concurrent write
 * was dropped; with `readsSeeLocalWrites`, also a read in the write's own region after it that shows neither it nor
 * a write that saw it), `overwritten` when
 * a write some other write had seen still shows, `unexpected` for a value no
 * write wrote. A write of unknown outcome may have happened with a clock nobody reported, so it excuses missing
 * siblings on its key and may itself show.
 */
export function checkMvRegister(history: readonly IndexedOp[], opts: MvRegisterOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairOps(history)) {
    if (p.invoke.meta?.probe === true || (p.invoke.f !== 'write' && p.invoke.f !== 'read')) continue;
    const k = keyOf(p.invoke);
    let xs = byKey.get(k);
    if (!xs) byKey.set(k, (xs = []));
    xs.push(p);
  }
  const counts = { keys: 0, finalReads: 0, concurrentWrites: 0, lostSibling: 0, overwritten: 0, unexpected: 0 };
  const listed: Record<'lostSibling' | 'overwritten' | 'unexpected', unknown[]> = { lostSibling: [], overwritten: [], unexpected: [] };
  const list = (kind: keyof typeof listed, x: unknown) => {
    if (listed[kind].length < maxReported) listed[kind].push(x);
  };
  const unchecked: string[] = [];

  for (const [key, ps] of byKey) {
    const writes = ps.filter((p) => p.invoke.f === 'write');
    const acked = writes.filter((p) => p.type === 'ok');
    const maybe = new Set(writes.filter((p) => p.type === 'info').map((p) => valueKey(p.invoke.value)));
    const clocks = new Map<OpPair, Clock>();
    for (const w of acked) {
      const c = clockOf(w);
      if (c) clocks.set(w, c);
    }
    if (clocks.size < acked.length) {
      unchecked.push(`key ${key}: acknowledged writes without meta.vclock; not judged`);
      continue;
    }
    const finals = new Map<string, OpPair>();
    for (const p of ps) if (p.invoke.f === 'read' && p.type === 'ok' && p.invoke.meta?.final === true) finals.set(p.complete?.region ?? p.invoke.region ?? '(no region)', p);
    if (finals.size === 0) continue;
    counts.keys++;
    counts.finalReads += finals.size;
    const byValue = new Map(acked.map((w) => [valueKey(w.invoke.value), w]));
    const seenBy = new Map<OpPair, OpPair>();
    for (const w of acked) {
      const over = acked.find((o) => o !== w && dominates(clocks.get(o)!, clocks.get(w)!));
      if (over) seenBy.set(w, over);
    }
    const maximal = acked.filter((w) => !seenBy.has(w));
    if (maximal.length > 1) counts.concurrentWrites += maximal.length;
    if (opts.readsSeeLocalWrites) {
      // A region holds the maximal writes of what it has: a write made there stays visible until something that saw
      // it arrives, and then a write that saw it (by transitivity, one of the shown ones) shows instead.
      const regionOf = (p: OpPair) => p.complete?.region ?? p.invoke.region;
      for (const r of ps) {
        if (r.invoke.f !== 'read' || r.type !== 'ok' || r.invoke.meta?.final === true) continue;
        const shownWrites = readValues(r.complete!.value).map((v) => byValue.get(v));
        if (shownWrites.some((w) => w === undefined)) continue;
        const shown = new Set(shownWrites as OpPair[]);
        for (const w of acked) {
          if (regionOf(w) !== regionOf(r) || w.complete!.index > r.invoke.index || shown.has(w)) continue;
          if ([...shown].some((o) => dominates(clocks.get(o)!, clocks.get(w)!))) continue;
          counts.lostSibling++;
          list('lostSibling', { key, value: w.invoke.value, region: regionOf(r), line: line(r), write: line(w), during: true });
        }
      }
    }
    for (const [region, r] of finals) {
      const shown = new Set(readValues(r.complete!.value));
      for (const v of shown) {
        const w = byValue.get(v);
        if (w === undefined && !maybe.has(v)) {
          counts.unexpected++;
          list('unexpected', { key, value: JSON.parse(v), region, line: line(r) });
        } else if (w !== undefined && seenBy.has(w)) {
          counts.overwritten++;
          list('overwritten', { key, value: JSON.parse(v), region, line: line(r), write: line(w), seenBy: line(seenBy.get(w)!) });
        }
      }
      if (maybe.size > 0) continue;
      for (const w of maximal) {
        if (shown.has(valueKey(w.invoke.value))) continue;
        counts.lostSibling++;
        list('lostSibling', { key, value: w.invoke.value, region, line: line(r), write: line(w) });
      }
    }
  }

  const { valid, reason } = anomalyVerdict(['lostSibling', 'overwritten', 'unexpected'] as const, counts, counts.keys, 'no key with acknowledged writes and final reads to judge',
    `final reads show exactly the concurrent writes (${counts.finalReads} final reads over ${counts.keys} keys)`);
  return { valid, reason, counts, ...listed, ...(unchecked.length ? { unchecked } : {}) };
}

export function mvRegisterChecker(opts: MvRegisterOptions = {}): Checker {
  return { name: 'mv-register', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkMvRegister(history, opts) };
}
