import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import { anomalyVerdict } from './anomaly-verdict.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { versionOf } from './versions.ts';
import { vcLeq, type VClock } from './causal.ts';
import { valueKey } from './value-key.ts';

export interface WriteOnceOptions {
  /** Cap on listed anomalies per kind; counts are always complete. */
  maxReported?: number;
}

const KINDS = ['acceptedOverValue', 'refusedShown', 'unexpected', 'vanished', 'movedLater', 'versionMismatch', 'notEarliest', 'unflagged'] as const;
type Kind = (typeof KINDS)[number];

const line = (p: OpPair): number => (p.complete ?? p.invoke).line;
const regionOf = (p: OpPair): string => p.complete?.region ?? p.invoke.region ?? '(no region)';
const done = (p: OpPair): number => p.complete!.index;

function vclockOf(p: OpPair): VClock | undefined {
  const c = p.complete?.meta?.vclock;
  return typeof c === 'object' && c !== null && !Array.isArray(c) && Object.values(c).every((n) => Number.isSafeInteger(n)) ? (c as VClock) : undefined;
}

/**
 * Write-once keys (the layer's `reject/` strategy, layer/API.md): a region refuses a write to a key it already holds,
 * and when regions accepted different first writes without seeing each other, every region keeps the earliest by
 * version and flags the key as conflicted. Judged per key, with writes of unique values that report their version and
 * vector clock:
 * - `acceptedOverValue`: a region acknowledged a write after it had shown the key holding a value (an acknowledged
 *   write or a read of a value there, completed before the write began), or the write's vector clock covers another
 *   acknowledged write's (the region held that one when it accepted);
 * - `refusedShown`: a read shows the value of a write that was refused, so it happened after all; `unexpected`: a value
 *   nobody wrote;
 * - `vanished`: a region reads nothing after it held a value (there are no deletes);
 * - `movedLater`: a region moved to a later version than one it had shown (only an earlier write may replace a value);
 * - `versionMismatch`: a read shows an acknowledged write's value with another version than that write reported;
 * - `notEarliest`: a final read shows a later version than some acknowledged write's;
 * - `unflagged`: two or more writes were acknowledged (necessarily by regions that had not seen each other) and a final
 *   read does not report the key as conflicted.
 * Writes of unknown outcome may have happened, with versions nobody saw, so their values may show (kept, as the
 * earliest of all); a final later than an acknowledged write is wrong whatever they did.
 */
export function checkWriteOnce(history: readonly IndexedOp[], opts: WriteOnceOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairOps(history)) {
    if (p.invoke.f !== 'write' && p.invoke.f !== 'read') continue;
    const k = p.invoke.key ?? '(no key)';
    let xs = byKey.get(k);
    if (!xs) byKey.set(k, (xs = []));
    xs.push(p);
  }
  const counts: Record<Kind, number> & { keys: number; acknowledged: number; refused: number } = { keys: 0, acknowledged: 0, refused: 0, ...Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number> };
  const listed = Object.fromEntries(KINDS.map((k) => [k, [] as unknown[]])) as Record<Kind, unknown[]>;
  const found = (kind: Kind, x: unknown) => {
    counts[kind]++;
    if (listed[kind].length < maxReported) listed[kind].push(x);
  };

  for (const [key, ps] of byKey) {
    const writes = ps.filter((p) => p.invoke.f === 'write');
    const acked = writes.filter((p) => p.type === 'ok');
    if (acked.length === 0) continue;
    counts.keys++;
    counts.acknowledged += acked.length;
    counts.refused += writes.filter((p) => p.type === 'fail').length;
    const ackedBy = new Map(acked.map((w) => [valueKey(w.invoke.value), w]));
    const maybe = new Set(writes.filter((p) => p.type === 'info').map((p) => valueKey(p.invoke.value)));
    const refused = new Set(writes.filter((p) => p.type === 'fail').map((p) => valueKey(p.invoke.value)));
    const reads = ps.filter((p) => p.invoke.f === 'read' && p.type === 'ok');

    for (const r of reads) {
      const v = r.complete!.value;
      if (v === null || v === undefined) continue;
      const w = ackedBy.get(valueKey(v));
      if (w) {
        const [shown, wrote] = [versionOf(r), versionOf(w)];
        if (shown !== undefined && wrote !== undefined && shown !== wrote) found('versionMismatch', { key, value: v, region: regionOf(r), line: line(r), version: shown, write: line(w), written: wrote });
      } else if (!maybe.has(valueKey(v))) found(refused.has(valueKey(v)) ? 'refusedShown' : 'unexpected', { key, value: v, region: regionOf(r), line: line(r) });
    }

    // What each region is known to hold: its acknowledged writes and its reads of a value.
    const holds = [...acked, ...reads.filter((r) => r.complete!.value !== null && r.complete!.value !== undefined)];
    for (const region of new Set(ps.map(regionOf))) {
      const held = holds.filter((h) => regionOf(h) === region).sort((a, b) => done(a) - done(b));
      if (held.length === 0) continue;
      const first = held[0];
      for (const w of acked) {
        if (regionOf(w) === region && w.invoke.index > done(first)) found('acceptedOverValue', { key, region, line: line(w), value: w.invoke.value, heldSince: line(first) });
      }
      for (const r of reads) {
        const v = r.complete!.value;
        if (regionOf(r) === region && (v === null || v === undefined) && r.invoke.index > done(first)) found('vanished', { key, region, line: line(r), heldSince: line(first) });
      }
      // Against the earliest version among what completed before each event began.
      const byInvoke = [...held].sort((a, b) => a.invoke.index - b.invoke.index);
      let i = 0;
      let least: { version: string; p: OpPair } | undefined;
      for (const h of byInvoke) {
        for (; i < held.length && done(held[i]) < h.invoke.index; i++) {
          const v = versionOf(held[i]);
          if (v !== undefined && (!least || v < least.version)) least = { version: v, p: held[i] };
        }
        const v = versionOf(h);
        if (least && v !== undefined && v > least.version) found('movedLater', { key, region, line: line(h), version: v, earlier: least.version, shownAt: line(least.p) });
      }
    }

    // A write's clock is the key's clock just after it: one that covers another acknowledged write's was made where
    // that write was already held.
    for (const w of acked) {
      const clock = vclockOf(w);
      if (!clock) continue;
      for (const o of acked) {
        const seen = o === w ? undefined : vclockOf(o);
        if (seen && vcLeq(seen, clock)) found('acceptedOverValue', { key, region: regionOf(w), line: line(w), value: w.invoke.value, saw: line(o) });
      }
    }

    const versions = acked.map(versionOf).filter((v): v is string => v !== undefined).sort();
    for (const r of reads.filter((p) => p.invoke.meta?.final === true)) {
      const v = versionOf(r);
      if (v !== undefined && versions.length && v > versions[0]) found('notEarliest', { key, region: regionOf(r), line: line(r), version: v, earliest: versions[0] });
      if (acked.length >= 2 && r.complete!.meta?.conflict !== true) found('unflagged', { key, region: regionOf(r), line: line(r), acknowledged: acked.map(line) });
    }
  }

  const { valid, reason } = anomalyVerdict(KINDS, counts, counts.keys, 'no key with an acknowledged write to judge',
    `every key kept its first write (${counts.acknowledged} writes acknowledged, ${counts.refused} refused, over ${counts.keys} keys)`);
  return { valid, reason, counts, ...Object.fromEntries(KINDS.filter((k) => listed[k].length).map((k) => [k, listed[k]])) };
}

export function writeOnceChecker(opts: WriteOnceOptions = {}): Checker {
  return { name: 'write-once', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkWriteOnce(history, opts) };
}
