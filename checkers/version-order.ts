import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { nemesisPairs, pairOps } from '../harness/history/pairs.ts';
import { parseHlc, versionOf, type Hlc } from './versions.ts';

export interface VersionOrderOptions {
  /** Cap on listed violations; the count is always complete. */
  maxReported?: number;
}

function hlcOf(p: OpPair): Hlc | undefined {
  const v = versionOf(p);
  return v === undefined ? undefined : parseHlc(v);
}

const cmp = (a: Hlc, b: Hlc): number => a.wall - b.wall || a.logical - b.logical;

/**
 * Index ranges of the history in which a region may have restarted: a kill or restart of it, and a crash failpoint
 * armed on it until cleared. A restarted node starts a new clock, so order is judged only within one incarnation.
 */
function restartWindows(history: readonly IndexedOp[]): Map<string, [number, number][]> {
  const windows = new Map<string, [number, number][]>();
  const add = (region: unknown, from: number, to: number) => {
    if (typeof region !== 'string') return;
    let ws = windows.get(region);
    if (!ws) windows.set(region, (ws = []));
    ws.push([from, to]);
  };
  const end = Number.MAX_SAFE_INTEGER;
  const armed = new Map<string, number>();
  for (const p of nemesisPairs(history)) {
    const v = p.invoke.value as { region?: unknown; action?: unknown } | string | null;
    const done = p.complete?.index ?? end;
    if (p.invoke.f === 'kill' || p.invoke.f === 'restart') add(v, p.invoke.index, done);
    else if (p.invoke.f === 'failpoint' && typeof v === 'object' && v?.action === 'crash' && typeof v.region === 'string') armed.set(v.region, p.invoke.index);
    else if (p.invoke.f === 'clear-failpoint' && typeof v === 'object' && typeof v?.region === 'string' && armed.has(v.region)) {
      add(v.region, armed.get(v.region)!, done);
      armed.delete(v.region);
    }
  }
  for (const [region, from] of armed) add(region, from, end);
  return windows;
}

/**
 * The versions one region hands out never go backwards: an acknowledged write invoked after another write of the
 * same region (the version's origin) completed carries a higher hybrid logical clock. That holds however the
 * region's physical clock is set, stepped or frozen, which is what a hybrid logical clock is for; a clock re-sync
 * that forgets issued timestamps, or versions taken from the raw wall clock, break it at the first write after
 * the clock goes back. Writes whose origin restarted between them (kill, restart, crash failpoint) are not compared.
 *
 * And each version names one write: its dot (origin and sequence) is taken once, with its clock, so every token an
 * operation reports (writes and the reads that return them) with that dot carries the same clock. A dot handed out
 * twice makes two writes one to every CRDT that tracks writes by dot (an add-wins set then drops an add as already
 * removed), whatever the order of the clocks; it holds across restarts too, since dots are reserved durably.
 */
export function checkVersionOrder(history: readonly IndexedOp[], opts: VersionOrderOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const pairs = pairOps(history);
  const windows = restartWindows(history);
  const byRegion = new Map<string, { p: OpPair; v: Hlc }[]>();
  for (const p of pairs) {
    if (p.type !== 'ok' || p.invoke.process === 'nemesis' || p.invoke.meta?.probe === true || p.invoke.f === 'read') continue;
    const v = hlcOf(p);
    if (!v) continue;
    let xs = byRegion.get(v.origin);
    if (!xs) byRegion.set(v.origin, (xs = []));
    xs.push({ p, v });
  }
  let judged = 0;
  let violations = 0;
  const listed: unknown[] = [];
  for (const [region, writes] of byRegion) {
    const ws = windows.get(region) ?? [];
    // The incarnation a write belongs to: how many restart windows end before it began; a write overlapping a window
    // belongs to none.
    const incarnation = (from: number, to: number): number | undefined => {
      let n = 0;
      for (const [a, b] of ws) {
        if (b < from) n++;
        else if (a <= to) return undefined;
      }
      return n;
    };
    type Ev = { at: number; done: boolean; w: { p: OpPair; v: Hlc }; inc: number };
    const evs: Ev[] = [];
    for (const w of writes) {
      const inc = incarnation(w.p.invoke.index, w.p.complete!.index);
      if (inc === undefined) continue;
      evs.push({ at: w.p.invoke.index, done: false, w, inc }, { at: w.p.complete!.index, done: true, w, inc });
    }
    evs.sort((a, b) => a.at - b.at);
    const latest = new Map<number, { p: OpPair; v: Hlc }>();
    for (const e of evs) {
      const before = latest.get(e.inc);
      if (e.done) {
        if (!before || cmp(e.w.v, before.v) > 0) latest.set(e.inc, e.w);
        continue;
      }
      if (!before) continue;
      judged++;
      if (cmp(e.w.v, before.v) > 0) continue;
      if (violations++ < maxReported) {
        listed.push({
          region, line: e.w.p.complete!.line, key: e.w.p.invoke.key, version: e.w.v.text,
          mustExceed: before.v.text, earlier: { line: before.p.complete!.line, key: before.p.invoke.key },
        });
      }
    }
  }
  const reused = reusedDots(pairs, maxReported);
  if (violations > 0 || reused.count > 0) {
    const parts = [
      ...(violations > 0 ? [`${violations} acknowledged writes carry a version no higher than a write their region completed before they began`] : []),
      ...(reused.count > 0 ? [`${reused.count} dots name two writes (one origin and sequence, two clocks)`] : []),
    ];
    return { valid: false, reason: parts.join('; '), judged, violations: listed, ...(reused.count > 0 ? { reusedDots: reused.listed } : {}) };
  }
  if (judged === 0) return { valid: 'unknown', reason: 'too little data: no two writes of one region with hybrid-logical-clock versions, in real-time order', judged };
  return { valid: true, reason: `${judged} writes carry a higher version than every earlier write of their region; ${reused.dots} dots each name one write`, judged };
}

/** Dots that acknowledged operations report with two different clocks, each with the lines of its first two tokens. */
function reusedDots(pairs: readonly OpPair[], maxReported: number): { dots: number; count: number; listed: unknown[] } {
  const first = new Map<string, { v: Hlc; p: OpPair }>();
  const reported = new Set<string>();
  const listed: unknown[] = [];
  for (const p of pairs) {
    if (p.type !== 'ok' || p.invoke.process === 'nemesis') continue;
    const v = hlcOf(p);
    if (v?.dot === undefined) continue;
    const seen = first.get(v.dot);
    if (!seen) {
      first.set(v.dot, { v, p });
      continue;
    }
    if (cmp(seen.v, v) === 0 || reported.has(v.dot)) continue;
    reported.add(v.dot);
    if (listed.length < maxReported) {
      listed.push({ dot: v.dot, first: { line: seen.p.complete!.line, key: seen.p.invoke.key, version: seen.v.text }, second: { line: p.complete!.line, key: p.invoke.key, version: v.text } });
    }
  }
  return { dots: first.size, count: reported.size, listed };
}

/** Targets whose regions issue hybrid-logical-clock versions: the layer, deployed here or elsewhere. */
const HLC_TARGETS: ReadonlySet<string> = new Set(['local', 'external']);

/**
 * The version-order checker where the target can be judged by it: on a target that reports no HLC versions (etcd,
 * Redis) it could only ever answer unknown, so a workload built for one leaves it out.
 */
export function versionOrderFor(target: string | undefined): Checker[] {
  return target === undefined || HLC_TARGETS.has(target) ? [versionOrderChecker()] : [];
}

export function versionOrderChecker(opts: VersionOrderOptions = {}): Checker {
  return { name: 'version-order', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkVersionOrder(history, opts) };
}
