/**
 * How stale reads of registers were: a measurement for tiers that do not promise linearizability.
 *
 * Definitions (real-time order is line order, HISTORY.md; durations are from `time`):
 * - A read returned value v of key k; its source is the write of v to k (values are unique per key), or the
 *   initial state for null.
 * - A write is newer than the source when it completed before the read was invoked and was invoked after the source
 *   completed. The initial state precedes every write. A source that never completed (info) has no newer write.
 * - The read is stale when it has at least one newer write: versions behind = how many; ms behind = from the
 *   completion of the first newer write to the read's invoke.
 * - Where the target reports versions (`meta.version`, ordered as writes win), a write that lost to the value read
 *   is not newer: under last-writer-wins a write made in a region that had not yet seen a concurrent write of a higher
 *   version (its clock set back, or behind a partition) rightly loses, and a read showing the winner is not stale.
 * With `sameRegion`, only writes completed in the read's region count as newer (a cache's staleness against its own
 * region's writes); with `maxMsBehind`, a read more than that many ms behind is a violation (a staleness bound).
 */
import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { quantile } from './stats.ts';
import { tooLittleData } from './too-little-data.ts';
import { versionOf } from './versions.ts';

export interface StaleReadsOptions {
  /** The checker's name (default `stale-reads`). */
  name?: string;
  sameRegion?: boolean;
  /** A staleness bound: reads further behind are violations. Absent: a measurement, never invalid. */
  maxMsBehind?: number;
  /** Cap on listed reads. */
  maxReported?: number;
}

export interface StaleRead { key: string; line: number; region?: string; versionsBehind: number; msBehind: number; value: unknown }

interface Write { invokeIndex: number; completeIndex?: number; completeTime?: number; region?: string; ok: boolean; version?: string }

const NS_PER_MS = 1e6;
const QS = [0.5, 0.9, 0.99, 1] as const;
const vk = (v: unknown): string => JSON.stringify(v) ?? 'null';

function distribution(xs: number[]): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  const out: Record<string, number> = { count: s.length };
  for (const q of QS) out[q === 1 ? 'max' : `p${q * 100}`] = s.length ? quantile(s, q)! : 0;
  return out;
}

const overWhat = (opts: StaleReadsOptions): string =>
  opts.maxMsBehind! > 0
    ? `more than ${opts.maxMsBehind} ms behind`
    : `behind a write ${opts.sameRegion ? 'their region' : 'the system'} had acknowledged before they began`;

export function checkStaleReads(history: readonly IndexedOp[], opts: StaleReadsOptions = {}): CheckResult {
  const scarce = tooLittleData(history, { count: 1, what: 'ok reads', counts: (op) => op.f === 'read' });
  if (scarce) return scarce;
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true && typeof p.invoke.key === 'string');
  const writes = new Map<string, Map<string, Write>>();
  const reads: OpPair[] = [];
  for (const p of pairs) {
    const key = p.invoke.key!;
    if (p.invoke.f === 'write' && p.type !== 'fail') {
      let m = writes.get(key);
      if (!m) writes.set(key, (m = new Map()));
      m.set(vk(p.invoke.value), {
        invokeIndex: p.invoke.index, completeIndex: p.complete?.index, completeTime: p.complete?.time,
        region: p.complete?.region ?? p.invoke.region, ok: p.type === 'ok', version: versionOf(p),
      });
    } else if (p.invoke.f === 'read' && p.type === 'ok' && p.complete) reads.push(p);
  }
  const stale: StaleRead[] = [];
  const versions: number[] = [];
  const ms: number[] = [];
  const byRegion: Record<string, { reads: number; stale: number }> = {};
  let unattributed = 0;
  for (const r of reads) {
    const key = r.invoke.key!;
    const region = r.complete!.region ?? r.invoke.region ?? '(none)';
    const tally = (byRegion[region] ??= { reads: 0, stale: 0 });
    tally.reads++;
    const ws = writes.get(key);
    const value = r.complete!.value;
    let after: number;
    if (value === null) after = -1;
    else {
      const src = ws?.get(vk(value));
      if (!src) {
        unattributed++;
        continue;
      }
      if (src.completeIndex === undefined) continue;
      after = src.completeIndex;
    }
    const shown = versionOf(r);
    let behind = 0;
    let firstDone = Infinity;
    for (const w of ws?.values() ?? []) {
      if (!w.ok || w.completeIndex! >= r.invoke.index || w.invokeIndex <= after) continue;
      if (opts.sameRegion && w.region !== region) continue;
      if (shown !== undefined && w.version !== undefined && w.version < shown) continue;
      behind++;
      firstDone = Math.min(firstDone, w.completeTime!);
    }
    if (behind === 0) continue;
    const msBehind = Math.max(0, r.invoke.time - firstDone) / NS_PER_MS;
    tally.stale++;
    versions.push(behind);
    ms.push(msBehind);
    stale.push({ key, line: r.complete!.line, region, versionsBehind: behind, msBehind, value });
  }
  const maxReported = opts.maxReported ?? 20;
  const worst = [...stale].sort((a, b) => b.msBehind - a.msBehind).slice(0, maxReported);
  const over = opts.maxMsBehind === undefined ? [] : stale.filter((s) => s.msBehind > opts.maxMsBehind!);
  const fraction = reads.length ? stale.length / reads.length : 0;
  const pct = (fraction * 100).toFixed(1);
  const summary = `${stale.length} of ${reads.length} reads stale (${pct}%)` +
    (stale.length ? `; versions behind p50 ${quantile([...versions].sort((a, b) => a - b), 0.5)}, max ${Math.max(...versions)}; ms behind p50 ${quantile([...ms].sort((a, b) => a - b), 0.5)!.toFixed(0)}, max ${Math.max(...ms).toFixed(0)}` : '');
  const bound = opts.maxMsBehind === undefined ? {} : { maxMsBehind: opts.maxMsBehind, overBound: over.slice(0, maxReported) };
  return {
    valid: over.length ? false : true,
    reason: over.length ? `${over.length} reads ${overWhat(opts)}; ${summary}` : summary,
    reads: reads.length,
    stale: stale.length,
    staleFraction: fraction,
    unattributed,
    versionsBehind: distribution(versions),
    msBehind: distribution(ms),
    byRegion,
    worst,
    ...(opts.sameRegion ? { sameRegion: true } : {}),
    ...bound,
  };
}

export function staleReadsChecker(opts: StaleReadsOptions = {}): Checker {
  return { name: opts.name ?? 'stale-reads', check: async (history: readonly IndexedOp[], _o: CheckOptions) => checkStaleReads(history, opts) };
}
