import type { CheckOptions, CheckResult, Checker } from '../harness/core/checker.ts';
import { anomalyVerdict } from './anomaly-verdict.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { canonical } from './convergence.ts';

export type VClock = Readonly<Record<string, number>>;
export type Dot = readonly [string, number];

export interface CausalOptions {
  /**
   * Whether a vector clock describes one key's state ('key', the layer's per-key clocks) or a whole replica
   * ('global'). Session-context monotonicity is checked per (session, key) or per session accordingly.
   */
  scope?: 'key' | 'global';
  maxReported?: number;
}

export type CausalAnomalyKind =
  | 'read-outside-context'
  | 'overwritten-in-context'
  | 'missing-from-context'
  | 'same-context-different-value'
  | 'siblings-not-maximal'
  | 'region-context-regression'
  | 'session-context-regression';

export interface CausalAnomaly {
  kind: CausalAnomalyKind;
  key: string;
  /** The read (history line) that shows it. */
  line: number;
  region?: string;
  /** The other operations involved, by line. */
  related: number[];
  detail: string;
}

export const dotIn = ([r, n]: Dot, vc: VClock): boolean => (vc[r] ?? 0) >= n;
export const vcLeq = (a: VClock, b: VClock): boolean => Object.entries(a).every(([r, n]) => n <= (b[r] ?? 0));
const vcJoin = (a: VClock, b: VClock): Record<string, number> => {
  const out: Record<string, number> = { ...a };
  for (const [r, n] of Object.entries(b)) out[r] = Math.max(out[r] ?? 0, n);
  return out;
};

function asVClock(v: unknown): VClock | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n)) ? (v as VClock) : undefined;
}
function asDot(v: unknown): Dot | undefined {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number' ? [v[0], v[1]] : undefined;
}

/** `state`: the canonical text of the value, computed once. */
/**
 * A write is placed causally by its own vector clock (the key's state just after it) when it reports one, else by its
 * dot. The clock is preferred: a server may number dots in another space than its clocks (the layer's dots count
 * a region's whole log, its clocks one key), while a clock always compares with the clocks of reads.
 */
interface Write { p: OpPair; dot?: Dot; vclock?: VClock; value: unknown; state: string; version?: string }

const inContext = (w: Write, vc: VClock): boolean => (w.vclock ? vcLeq(w.vclock, vc) : dotIn(w.dot!, vc));
const describe = (w: Write): string => (w.vclock ? `clock ${canonical(w.vclock)}` : `dot ${w.dot!.join(':')}`);
const vcEqual = (a: VClock, b: VClock): boolean => vcLeq(a, b) && vcLeq(b, a);
interface Read { p: OpPair; vclock: VClock; value: unknown; region?: string; session?: string }

const WRITE_FS = new Set(['write', 'cas', 'add']);
const meta = (p: OpPair, k: string): unknown => p.complete?.meta?.[k] ?? p.invoke.meta?.[k];
const regionOf = (p: OpPair): string | undefined => p.complete?.region ?? p.invoke.region;
const line = (p: OpPair): number => (p.complete ?? p.invoke).line;

/**
 * Whether `a` happened before `b`: by `b`'s causal context when the write carries one, else by the order of one
 * origin's log (a region's writes to a key are sequential, so a lower sequence number from the same origin is
 * in the past of a higher one).
 */
function hb(a: Write, b: Write): boolean {
  if (a.vclock && b.vclock) return vcLeq(a.vclock, b.vclock) && !vcEqual(a.vclock, b.vclock);
  return a.dot !== undefined && b.dot !== undefined && a.dot[0] === b.dot[0] && a.dot[1] < b.dot[1];
}

/**
 * Causal consistency from server metadata (CHECKERS §4.4, §4.6). Writes carry `meta.vclock` (preferred) or
 * `meta.dot`, responses `meta.vclock`.
 * Per key: a read's returned writes must lie in its context (reads-from); no write in its context may supersede
 * what it returned (not overwritten; for sets, every add in the context must be visible); reads with equal
 * contexts must return equal states; one region's contexts never shrink; a session's contexts never shrink.
 * Without that metadata nothing here can be decided: the result says so rather than passing.
 */
export function checkCausal(history: readonly IndexedOp[], opts: CausalOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const scope = opts.scope ?? 'key';
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true && p.invoke.key !== undefined);
  const anomalies: CausalAnomaly[] = [];
  const counts: Record<CausalAnomalyKind, number> = {
    'read-outside-context': 0, 'overwritten-in-context': 0, 'missing-from-context': 0,
    'same-context-different-value': 0, 'siblings-not-maximal': 0, 'region-context-regression': 0, 'session-context-regression': 0,
  };
  const report = (a: CausalAnomaly) => {
    if (counts[a.kind]++ < maxReported) anomalies.push(a);
  };
  const unchecked = new Set<string>();
  let readsChecked = 0;

  const byKey = new Map<string, OpPair[]>();
  for (const p of pairs) {
    let xs = byKey.get(p.invoke.key!);
    if (!xs) byKey.set(p.invoke.key!, (xs = []));
    xs.push(p);
  }

  for (const [key, ps] of byKey) {
    const fs = new Set(ps.map((p) => p.invoke.f));
    const isSet = fs.has('add') || fs.has('remove');
    if (fs.has('incr')) {
      unchecked.add(`key ${key}: counter; causal checks apply to registers and sets`);
      continue;
    }
    const writes: Write[] = [];
    let unplaced = 0;
    for (const p of ps) {
      if (!WRITE_FS.has(p.invoke.f) || p.type !== 'ok') continue;
      if (p.invoke.f === 'cas' && p.complete?.value === false) continue;
      const dot = asDot(meta(p, 'dot'));
      const vclock = asVClock(p.complete?.meta?.vclock);
      if (!dot && !vclock) {
        unplaced++;
        continue;
      }
      const value = p.invoke.f === 'cas' && Array.isArray(p.invoke.value) ? p.invoke.value[1] : p.invoke.value;
      const version = p.complete?.meta?.version;
      writes.push({ p, value, state: canonical(value), ...(dot ? { dot } : {}), ...(vclock ? { vclock } : {}), ...(typeof version === 'string' ? { version } : {}) });
    }
    if (unplaced) unchecked.add(`key ${key}: ${unplaced} ok writes carry neither meta.dot nor meta.vclock; reads of them cannot be placed causally`);
    const reads: Read[] = [];
    for (const p of ps) {
      if (p.invoke.f !== 'read' || p.type !== 'ok') continue;
      const vclock = asVClock(p.complete?.meta?.vclock);
      if (!vclock) continue;
      const session = meta(p, 'session');
      reads.push({ p, vclock, value: p.complete!.value, region: regionOf(p), ...(session !== undefined ? { session: String(session) } : {}) });
    }
    if (reads.length === 0) {
      unchecked.add(`key ${key}: no reads carry meta.vclock`);
      continue;
    }
    readsChecked += reads.length;

    const byVersion = new Map(writes.filter((w) => w.version !== undefined).map((w) => [w.version!, w]));
    const byValue = new Map<string, Write[]>();
    for (const w of writes) {
      const xs = byValue.get(w.state) ?? [];
      xs.push(w);
      byValue.set(w.state, xs);
    }
    const removes = fs.has('remove');
    const idx = isSet ? dotIndex(writes) : new Map();
    const clocked = writes.filter((w) => w.vclock !== undefined);
    for (const r of reads) {
      if (isSet) checkSetRead(key, r, writes, byValue, idx, clocked, removes, report);
      else checkRegisterRead(key, r, writes, byVersion, byValue, fs.has('delete'), report, unchecked);
    }
    sameContext(key, reads, isSet, report);
    regionMonotonic(key, reads, report);
  }
  sessionMonotonic(pairs, scope, report);

  if (pairs.length && !pairs.some((p) => WRITE_FS.has(p.invoke.f) && (asDot(meta(p, 'dot')) || asVClock(p.complete?.meta?.vclock)))) {
    unchecked.add('no write carries meta.dot or meta.vclock: reads-from and not-overwritten were not checked');
  }
  unchecked.add('black-box causal checking (co-cycles, thin-air and overwritten-read patterns without metadata) is not implemented');
  if (scope === 'key') unchecked.add('cross-key causality is not checked: contexts are per key');

  const { valid, reason } = anomalyVerdict(Object.keys(counts) as CausalAnomalyKind[], counts, readsChecked,
    'no reads carry a vector clock (meta.vclock): causal consistency could not be checked', `${readsChecked} reads with causal context, no violation`);
  return { valid, reason, counts, anomalies, readsChecked, unchecked: [...unchecked] };
}

type Report = (a: CausalAnomaly) => void;

function checkRegisterRead(key: string, r: Read, writes: readonly Write[], byVersion: Map<string, Write>, byValue: Map<string, Write[]>, deletes: boolean, report: Report, unchecked: Set<string>): void {
  const at = { key, line: line(r.p), ...(r.region ? { region: r.region } : {}) };
  const siblings = r.p.complete?.meta?.siblings;
  if (Array.isArray(siblings)) return checkSiblings(key, r, siblings, writes, report, unchecked);
  // A delete also reads as null; only keys never deleted can say the initial value is stale.
  if (r.value === null && deletes) return;
  if (r.value === null) {
    const inCtx = writes.filter((w) => inContext(w, r.vclock));
    if (inCtx.length) report({ kind: 'overwritten-in-context', ...at, related: inCtx.slice(0, 5).map((w) => line(w.p)), detail: `read the initial value though its context includes ${inCtx.length} writes to the key` });
    return;
  }
  const version = r.p.complete?.meta?.version;
  let w = typeof version === 'string' ? byVersion.get(version) : undefined;
  if (!w) {
    const candidates = byValue.get(canonical(r.value)) ?? [];
    if (candidates.length === 1) w = candidates[0];
    else {
      if (candidates.length > 1) unchecked.add(`key ${key}: written values are not unique and reads carry no matching version`);
      return;
    }
  }
  if (!inContext(w, r.vclock)) {
    report({ kind: 'read-outside-context', ...at, related: [line(w.p)], detail: `returned the write with ${describe(w)}, which its context ${canonical(r.vclock)} does not include` });
  }
  const later = writes.find((x) => x !== w && hb(w!, x) && inContext(x, r.vclock));
  if (later) {
    report({ kind: 'overwritten-in-context', ...at, related: [line(w.p), line(later.p)], detail: `returned the write with ${describe(w)}, but its context includes the write with ${describe(later)}, which causally follows it` });
  }
}

/**
 * A multi-value register read returns its concurrent writes as siblings: exactly the writes in its context that no
 * other write in its context causally follows. Needs every such write's clock to tell concurrent from ordered.
 */
function checkSiblings(key: string, r: Read, siblings: readonly unknown[], writes: readonly Write[], report: Report, unchecked: Set<string>): void {
  const inCtx = writes.filter((w) => inContext(w, r.vclock));
  if (inCtx.some((w) => !w.vclock)) {
    unchecked.add(`key ${key}: writes without meta.vclock; siblings of multi-value reads not checked`);
    return;
  }
  const maximal = new Set(inCtx.filter((w) => !inCtx.some((x) => x !== w && hb(w, x))).map((w) => w.state));
  const got = new Set(siblings.map(canonical));
  const missing = [...maximal].filter((v) => !got.has(v));
  const extra = [...got].filter((v) => !maximal.has(v));
  if (missing.length || extra.length) {
    report({
      kind: 'siblings-not-maximal', key, line: line(r.p), ...(r.region ? { region: r.region } : {}),
      related: inCtx.filter((w) => missing.includes(w.state)).slice(0, 5).map((w) => line(w.p)),
      detail: `siblings ${canonical(siblings)}; the concurrent latest writes in its context are ${canonical([...maximal].map((v) => JSON.parse(v)))}`,
    });
  }
}

/** Per origin region, the sequence numbers of the dot-placed adds it originated, ascending: counts them inside a context fast. */
type DotIndex = Map<string, number[]>;

function dotIndex(writes: readonly Write[]): DotIndex {
  const m: DotIndex = new Map();
  for (const w of writes) {
    if (w.vclock) continue;
    const xs = m.get(w.dot![0]) ?? [];
    xs.push(w.dot![1]);
    m.set(w.dot![0], xs);
  }
  for (const xs of m.values()) xs.sort((a, b) => a - b);
  return m;
}

function countInContext(idx: DotIndex, vc: VClock): number {
  let n = 0;
  for (const [origin, seqs] of idx) {
    const top = vc[origin] ?? 0;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid] <= top) lo = mid + 1;
      else hi = mid;
    }
    n += lo;
  }
  return n;
}

function checkSetRead(key: string, r: Read, writes: readonly Write[], byValue: Map<string, Write[]>, idx: DotIndex, clocked: readonly Write[], removes: boolean, report: Report): void {
  const at = { key, line: line(r.p), ...(r.region ? { region: r.region } : {}) };
  const vis = new Set((Array.isArray(r.value) ? r.value : []).map(canonical));
  let visibleInContext = 0;
  for (const e of vis) {
    const adds = byValue.get(e) ?? [];
    const inCtx = adds.filter((w) => inContext(w, r.vclock)).length;
    visibleInContext += inCtx;
    if (adds.length && inCtx === 0) {
      report({ kind: 'read-outside-context', ...at, related: adds.slice(0, 5).map((w) => line(w.p)), detail: `shows element ${e}, but no add of it is in its context ${canonical(r.vclock)}` });
    }
  }
  // With removes an add inside the context may have been removed since; only add-only keys can demand presence.
  // When every add in the context is accounted for by a visible element, nothing is missing and the scan is skipped.
  if (removes || countInContext(idx, r.vclock) + clocked.filter((w) => vcLeq(w.vclock!, r.vclock)).length === visibleInContext) return;
  for (const w of writes) {
    if (inContext(w, r.vclock) && !vis.has(w.state)) {
      report({ kind: 'missing-from-context', ...at, related: [line(w.p)], detail: `lacks element ${w.state}, whose add (${describe(w)}) is in its context` });
    }
  }
}

/** A state is a function of the updates delivered: reads with the same context must return the same state. */
function sameContext(key: string, reads: readonly Read[], isSet: boolean, report: Report): void {
  const first = new Map<string, { r: Read; state: string }>();
  for (const r of reads) {
    const ctx = canonical(r.vclock);
    const siblings = r.p.complete?.meta?.siblings;
    const state = isSet && Array.isArray(r.value)
      ? canonical(r.value.map(canonical).sort())
      : Array.isArray(siblings) ? canonical({ siblings: siblings.map(canonical).sort() }) : canonical(r.value);
    const seen = first.get(ctx);
    if (!seen) first.set(ctx, { r, state });
    else if (seen.state !== state) {
      report({ kind: 'same-context-different-value', key, line: line(r.p), ...(r.region ? { region: r.region } : {}), related: [line(seen.r.p)], detail: `context ${ctx} returned ${state} here and ${seen.state} on line ${line(seen.r.p)}` });
    }
  }
}

/** A replica's state only grows: a read that began after another in the same region finished must not have a smaller context. */
function regionMonotonic(key: string, reads: readonly Read[], report: Report): void {
  const byRegion = new Map<string, Read[]>();
  for (const r of reads) {
    if (!r.region) continue;
    const xs = byRegion.get(r.region) ?? [];
    xs.push(r);
    byRegion.set(r.region, xs);
  }
  for (const [region, rs] of byRegion) {
    const done = [...rs].sort((a, b) => a.p.complete!.index - b.p.complete!.index);
    let j = 0;
    let joined: Record<string, number> = {};
    for (const r of [...rs].sort((a, b) => a.p.invoke.index - b.p.invoke.index)) {
      while (j < done.length && done[j].p.complete!.index < r.p.invoke.index) joined = vcJoin(joined, done[j++].vclock);
      if (vcLeq(joined, r.vclock)) continue;
      const ahead = done.slice(0, j).reverse().find((d) => !vcLeq(d.vclock, r.vclock))!;
      report({ kind: 'region-context-regression', key, line: line(r.p), region, related: [line(ahead.p)], detail: `context ${canonical(r.vclock)} is behind ${canonical(ahead.vclock)}, served earlier in ${region}` });
    }
  }
}

/** A client carrying a causal token (explicit `meta.session`) must never see its context shrink. */
function sessionMonotonic(pairs: readonly OpPair[], scope: 'key' | 'global', report: Report): void {
  const events: { at: number; p: OpPair; done: boolean }[] = [];
  for (const p of pairs) {
    if (meta(p, 'session') === undefined || p.type !== 'ok' || !p.complete) continue;
    events.push({ at: p.invoke.index, p, done: false }, { at: p.complete.index, p, done: true });
  }
  events.sort((a, b) => a.at - b.at);
  const ctx = new Map<string, { vc: Record<string, number>; from: OpPair }>();
  const snap = new Map<OpPair, { vc: Record<string, number>; from: OpPair } | undefined>();
  for (const { p, done } of events) {
    const k = `${String(meta(p, 'session'))}\u0000${scope === 'key' ? p.invoke.key : ''}`;
    if (!done) {
      snap.set(p, ctx.get(k));
      continue;
    }
    const vc = asVClock(p.complete!.meta?.vclock);
    // Only clocks: a bare dot may be numbered in another space than the clocks it would be compared with.
    const own = vc;
    if (!own) continue;
    const before = snap.get(p);
    if (before && vc && p.invoke.f === 'read' && !vcLeq(before.vc, vc)) {
      report({ kind: 'session-context-regression', key: p.invoke.key!, line: line(p), ...(regionOf(p) ? { region: regionOf(p) } : {}), related: [line(before.from)], detail: `session ${String(meta(p, 'session'))} saw context ${canonical(vc)} after ${canonical(before.vc)}` });
    }
    const cur = ctx.get(k);
    ctx.set(k, { vc: vcJoin(cur?.vc ?? {}, own), from: p });
  }
}

export function causalChecker(opts: CausalOptions = {}): Checker {
  return {
    name: 'causal',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkCausal(history, opts),
  };
}
