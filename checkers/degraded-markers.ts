import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { faultTimeline, nemesisOps, type FaultWindow } from '../harness/core/faults.ts';
import { partitionFromGroups, type PartitionShape } from '../harness/net/grudge.ts';
import { tooLittleData } from './too-little-data.ts';

export interface DegradedMarkersOptions {
  /** The regions of the deployment; defaults to every region the history's client operations name. */
  regions?: readonly string[];
  /**
   * How long a region may take to notice it lost its majority (the layer counts a peer down 1 s after its last
   * answer, and judges its quorum whenever a write asks; twice that, since a loaded node may handle an answer that
   * arrived before the cut some hundreds of ms late): writes that began sooner after the cut are not judged.
   */
  graceMs?: number;
  /**
   * Writes that ended this close to the moment the heal (or restart) was asked for are not judged either: the
   * network may be back, and a probe answered, before the nemesis records the heal as done.
   */
  healMarginMs?: number;
  maxReported?: number;
}

/** Client operations that write a normal-tier key of the layer. */
const WRITES = new Set(['write', 'delete', 'add', 'remove', 'incr', 'map-update', 'cas']);
const NS_PER_MS = 1e6;

/** Who can reach whom while some faults are in force: directed cuts, and regions down (killed, paused). */
interface Topology { cuts: Set<string>; down: Set<string>; unknown: boolean }

function topologyAt(t: number, windows: readonly FaultWindow[], cutsOf: Map<FaultWindow, [string, string][] | undefined>): Topology {
  const top: Topology = { cuts: new Set(), down: new Set(), unknown: false };
  for (const w of windows) {
    if (w.start > t || (w.end !== undefined && w.end <= t)) continue;
    if (w.kind === 'kill' || w.kind === 'pause') {
      if (w.target !== undefined) top.down.add(w.target);
    } else if (w.kind === 'partition') {
      const cuts = cutsOf.get(w);
      if (!cuts) top.unknown = true;
      else for (const [from, to] of cuts) top.cuts.add(`${from}>${to}`);
    }
  }
  return top;
}

/**
 * A region is below quorum when it and the live peers it can call are no majority. A cut [from, to] stops `from`'s
 * requests to `to`, while `to`'s requests to `from` are still answered (over the connection `to` opened), so whether a
 * region can call a peer depends on the cut from it alone.
 */
function belowQuorum(region: string, regions: readonly string[], top: Topology): boolean {
  if (top.unknown) return false;
  const reach = regions.filter((p) => p === region || (!top.down.has(p) && !top.cuts.has(`${region}>${p}`)));
  return reach.length < Math.floor(regions.length / 2) + 1;
}

/**
 * Degraded mode (layer/API.md, `conflictMarker`): a region cut off from a majority of regions keeps accepting writes
 * to normal and hot keys, and marks each one as a conflict to reconcile after the heal. Judged from the faults the
 * history records (partitions by their shape and groups, kills, pauses; each over once its undoing is asked for): an
 * acknowledged write in a region that was below quorum from `graceMs` before it began until `healMarginMs` after it
 * ended must carry `meta.conflictMarker: true` (`unmarked`). Only faults that can take peers away are modelled, and a partition whose value does not name a
 * shape and groups makes its time unjudged, so a fault the checker does not know can only leave writes unjudged.
 * Critical keys (which refuse below quorum) and transactions are not judged.
 */
export function checkDegradedMarkers(history: readonly IndexedOp[], opts: DegradedMarkersOptions = {}): CheckResult {
  const graceNs = (opts.graceMs ?? 2000) * NS_PER_MS;
  const marginNs = (opts.healMarginMs ?? 250) * NS_PER_MS;
  const maxReported = opts.maxReported ?? 50;
  const scarce = tooLittleData(history, { count: 1, what: 'ok writes', counts: (op) => WRITES.has(op.f) });
  if (scarce) return scarce;
  const pairs = pairOps(history).filter((p) => p.invoke.process !== 'nemesis' && p.invoke.meta?.probe !== true);
  const regionOf = (p: OpPair) => p.complete?.region ?? p.invoke.region;
  const regions = opts.regions ?? [...new Set(pairs.map(regionOf).filter((r): r is string => r !== undefined))].sort();
  // A fault counts as over from the moment its undoing was asked for: the nemesis records it done only afterwards.
  const askedAt = new Map<number, number>();
  nemesisOps(history, (invoke, info) => info && askedAt.set(info.line, invoke.time));
  const windows = faultTimeline(history).windows
    .filter((w) => w.kind === 'partition' || w.kind === 'kill' || w.kind === 'pause')
    .map((w) => (w.endLine !== undefined && askedAt.has(w.endLine) ? { ...w, end: askedAt.get(w.endLine)! } : w));
  const byLine = new Map(history.map((op) => [op.line, op]));
  const cutsOf = new Map<FaultWindow, [string, string][] | undefined>();
  for (const w of windows.filter((x) => x.kind === 'partition')) {
    const v = byLine.get(w.startLine)?.value as { shape?: unknown; groups?: unknown } | undefined;
    try {
      cutsOf.set(w, partitionFromGroups(v?.shape as PartitionShape, v?.groups as string[][], regions).cuts);
    } catch {
      cutsOf.set(w, undefined);
    }
  }
  const boundaries = [...new Set(windows.flatMap((w) => [w.start, ...(w.end !== undefined ? [w.end] : [])]))].sort((a, b) => a - b);
  // Below quorum throughout [from, to]: the topology changes only at window boundaries.
  const cutOffThroughout = (region: string, from: number, to: number) =>
    [from, ...boundaries.filter((b) => b > from && b <= to)].every((t) => belowQuorum(region, regions, topologyAt(t, windows, cutsOf)));

  let judged = 0;
  const unmarked: unknown[] = [];
  let unmarkedCount = 0;
  for (const p of pairs) {
    const region = regionOf(p);
    if (p.type !== 'ok' || !WRITES.has(p.invoke.f) || region === undefined || p.invoke.key === undefined || p.invoke.key.startsWith('critical/')) continue;
    if (p.invoke.f === 'cas' && p.complete?.value === false) continue;
    if (!cutOffThroughout(region, p.invoke.time - graceNs, p.complete!.time + marginNs)) continue;
    judged++;
    if (p.complete?.meta?.conflictMarker === true) continue;
    unmarkedCount++;
    if (unmarked.length < maxReported) unmarked.push({ key: p.invoke.key, region, line: p.complete!.line, f: p.invoke.f });
  }
  let valid: Validity = true;
  let reason: string;
  if (unmarkedCount > 0) {
    valid = false;
    reason = `${unmarkedCount} unmarked: writes a region cut off from a majority acknowledged without a conflict marker (of ${judged} judged)`;
  } else if (judged === 0) {
    // A promise about what happens below quorum holds trivially in a run where no region was cut off long enough;
    // answering unknown would turn every such run's verdict unknown.
    reason = 'no write was acknowledged by a region cut off from a majority long enough to judge: nothing was owed';
  } else reason = `all ${judged} writes acknowledged below quorum carry a conflict marker`;
  return { valid, reason, judged, unmarked: unmarkedCount, ...(unmarked.length ? { unmarkedWrites: unmarked } : {}) };
}

export function degradedMarkersChecker(opts: DegradedMarkersOptions = {}): Checker {
  return { name: 'degraded-markers', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkDegradedMarkers(history, opts) };
}
