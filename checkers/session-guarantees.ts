import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { versionOf } from './versions.ts';
import { valueKey } from './value-key.ts';

export type Guarantee = 'RYW' | 'MR' | 'MW' | 'WFR';

export interface SessionOptions {
  /** Cap on listed violations per guarantee; counts are always complete. */
  maxReported?: number;
}

export interface OpRef { line: number; region?: string; session?: string }

export interface SessionViolation {
  guarantee: Guarantee;
  /** The session whose guarantee broke: the reader's for RYW/MR, the writer's for MW/WFR. */
  session: string;
  key: string;
  /** The read (or, for register MW/WFR, the write) that shows the violation. */
  op: OpRef;
  /** The earlier operation the guarantee ties it to (the latest, when several). */
  earlier: OpRef;
  /** Lines of the other earlier operations whose elements are missing too. */
  alsoEarlier?: number[];
  /** Set keys: elements the op should have reflected. */
  missing?: unknown[];
  /** Register keys: the version seen and the one it should have been at least (or exceeded, for writes). */
  version?: { got: string; mustExceedOrEqual?: string; mustExceed?: string };
  /** Register keys without versions: what was inferred. */
  detail?: string;
}

const WRITE_FS = new Set(['add', 'append']);
/** What writes a register key: a value, a tombstone, or a compare-and-set (when it succeeds). */
const REGISTER_WRITE_FS = new Set(['write', 'delete', 'cas']);
const sessionOf = (p: OpPair): string => {
  const s = p.invoke.meta?.session ?? p.complete?.meta?.session;
  return s === undefined || s === null ? String(p.invoke.process) : String(s);
};
const regionOf = (p: OpPair): string | undefined => p.complete?.region ?? p.invoke.region;
const line = (p: OpPair): number => (p.complete ?? p.invoke).line;
const ref = (p: OpPair, withSession = false): OpRef => {
  const r = regionOf(p);
  return { line: (p.complete ?? p.invoke).line, ...(r ? { region: r } : {}), ...(withSession ? { session: sessionOf(p) } : {}) };
};

interface Entry { e: string; p: OpPair }

/** Append-only list of distinct elements, so "everything before position n" is a prefix that never changes. */
class Log {
  readonly entries: Entry[] = [];
  private readonly pos = new Map<string, number>();
  push(e: string, p: OpPair): void {
    if (this.pos.has(e)) return;
    this.pos.set(e, this.entries.length);
    this.entries.push({ e, p });
  }
  /** The entry for `e` if it lies in the first `n` entries. */
  within(e: string, n: number): Entry | undefined {
    const i = this.pos.get(e);
    return i !== undefined && i < n ? this.entries[i] : undefined;
  }
}

type Event = { at: number; p: OpPair; phase: 'invoke' | 'complete' };

function events(pairs: readonly OpPair[]): Event[] {
  const evs: Event[] = [];
  for (const p of pairs) {
    evs.push({ at: p.invoke.index, p, phase: 'invoke' });
    if (p.complete) evs.push({ at: p.complete.index, p, phase: 'complete' });
  }
  return evs.sort((a, b) => a.at - b.at);
}

const mapGet = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
};

/**
 * Set- and list-valued keys (CHECKERS §4.5): each read reveals its visible write set. RYW and MR are checked
 * against prefixes of the session's own writes and reads completed before the read was invoked. MW and WFR give
 * each write the prerequisites its session had when it was invoked (earlier ok writes; elements earlier reads saw)
 * and check, for every read showing the write, that the prerequisites on the read's key are visible too.
 */
function checkSetKeys(pairs: readonly OpPair[], report: (v: SessionViolation) => void, checked: Record<Guarantee, number>): void {
  const own = new Map<string, Log>();
  const seenBy = new Map<string, Log>();
  const prereq = new Map<string, Log>();
  /** Per key, per element: the write that added it, its session and its prerequisite prefix length. */
  const writer = new Map<string, Map<string, { p: OpPair; session: string; prefix: number }>>();
  const atInvoke = new Map<OpPair, { own: number; seen: number }>();
  /** Per key, every element known so far: added (invoked) or seen in a read. */
  const universe = new Map<string, Log>();
  const sk = (s: string, k: string) => `${s}\u0000${k}`;

  for (const { p, phase } of events(pairs)) {
    const s = sessionOf(p);
    const k = p.invoke.key ?? '(no key)';
    const key = sk(s, k);
    const isWrite = WRITE_FS.has(p.invoke.f);
    if (phase === 'invoke') {
      if (isWrite) {
        mapGet(universe, k, () => new Log()).push(valueKey(p.invoke.value), p);
        const byElem = mapGet(writer, k, () => new Map());
        const e = valueKey(p.invoke.value);
        if (!byElem.has(e)) byElem.set(e, { p, session: s, prefix: prereq.get(key)?.entries.length ?? 0 });
      } else atInvoke.set(p, { own: own.get(key)?.entries.length ?? 0, seen: seenBy.get(key)?.entries.length ?? 0 });
      continue;
    }
    if (p.type !== 'ok') continue;
    if (isWrite) {
      const e = valueKey(p.invoke.value);
      mapGet(own, key, () => new Log()).push(e, p);
      mapGet(prereq, key, () => new Log()).push(e, p);
      continue;
    }
    const value = p.complete!.value;
    const vis = new Set((Array.isArray(value) ? value : []).map(valueKey));
    const snap = atInvoke.get(p)!;

    // Every guarantee asks for some earlier element to be visible, so only the elements known on this key that the
    // read lacks can break one; reads usually lack few, which keeps this linear in the size of the reads.
    const lacking = mapGet(universe, k, () => new Log()).entries.filter((x) => !vis.has(x.e)).map((x) => x.e);
    const ownLog = own.get(key);
    const seenLog = seenBy.get(key);
    const ryw: Entry[] = [];
    const mr: Entry[] = [];
    for (const e of lacking) {
      const o = ownLog?.within(e, snap.own);
      if (o) ryw.push(o);
      const m = seenLog?.within(e, snap.seen);
      if (m) mr.push(m);
    }
    checked.RYW++;
    checked.MR++;
    if (ryw.length) report({ guarantee: 'RYW', session: s, key: k, op: ref(p), ...gather(ryw) });
    if (mr.length) report({ guarantee: 'MR', session: s, key: k, op: ref(p), ...gather(mr) });

    // Nested prefixes: per writing session, only the longest prerequisite prefix among the visible writes matters.
    const longest = new Map<string, { w: OpPair; prefix: number }>();
    const writers = writer.get(k);
    for (const e of vis) {
      const w = writers?.get(e);
      if (!w) continue;
      const cur = longest.get(w.session);
      if (!cur || w.prefix > cur.prefix) longest.set(w.session, { w: w.p, prefix: w.prefix });
    }
    // The reader's own session already answered for these under RYW/MR; one violation is reported once.
    const ownAnswered = new Set([...ryw, ...mr].map((x) => x.e));
    for (const [ws, { w, prefix }] of longest) {
      const log = prereq.get(sk(ws, k));
      const missing: Entry[] = [];
      for (const e of lacking) {
        const x = log?.within(e, prefix);
        if (x && !(ws === s && ownAnswered.has(e))) missing.push(x);
      }
      checked.MW++;
      checked.WFR++;
      for (const g of ['MW', 'WFR'] as const) {
        const xs = missing.filter((x) => WRITE_FS.has(x.p.invoke.f) === (g === 'MW'));
        if (xs.length) report({ guarantee: g, session: ws, key: k, op: ref(p, true), ...gather(xs), detail: `shows the write on line ${w.invoke.line} but not what its session ${g === 'MW' ? 'wrote' : 'read'} before it` });
      }
    }

    const known = universe.get(k)!;
    for (const e of vis) known.push(e, p);
    const seen = mapGet(seenBy, key, () => new Log());
    const pre = mapGet(prereq, key, () => new Log());
    for (const e of vis) {
      seen.push(e, p);
      pre.push(e, p);
    }
  }
}

/** One violation per read: the missing elements, the latest earlier operation they came from, and the others' lines. */
function gather(xs: readonly Entry[]): Pick<SessionViolation, 'earlier' | 'alsoEarlier' | 'missing'> {
  const ops = [...new Set(xs.map((x) => x.p))].sort((a, b) => line(b) - line(a));
  return {
    earlier: ref(ops[0]),
    ...(ops.length > 1 ? { alsoEarlier: ops.slice(1).map(line).sort((a, b) => a - b) } : {}),
    missing: xs.map((x) => JSON.parse(x.e)),
  };
}

interface Versioned { version: string; p: OpPair }

/**
 * Register keys. With `meta.version` (whose order is the last-write-wins order) on every ok read and write: RYW and
 * MR mean a read's version is at least that of the session's writes and reads completed before it; MW and WFR mean
 * a write's version exceeds them. Without versions only `INIT < v` is known: a session that wrote or read a value
 * must not read the initial null afterwards.
 */
function checkRegisterKeys(pairs: readonly OpPair[], report: (v: SessionViolation) => void, checked: Record<Guarantee, number>, unchecked: Set<string>): void {
  const lastWrite = new Map<string, Versioned>();
  const lastRead = new Map<string, Versioned>();
  const touched = new Map<string, OpPair>();
  const atInvoke = new Map<OpPair, { w?: Versioned; r?: Versioned; touched?: OpPair }>();
  const sk = (s: string, k: string) => `${s}\u0000${k}`;
  const isWrite = (p: OpPair) => REGISTER_WRITE_FS.has(p.invoke.f) && !(p.invoke.f === 'cas' && p.complete?.value === false);

  for (const { p, phase } of events(pairs)) {
    const s = sessionOf(p);
    const k = p.invoke.key ?? '(no key)';
    const key = sk(s, k);
    if (phase === 'invoke') {
      atInvoke.set(p, { w: lastWrite.get(key), r: lastRead.get(key), touched: touched.get(key) });
      continue;
    }
    if (p.type !== 'ok') continue;
    const snap = atInvoke.get(p)!;
    const v = versionOf(p);
    const value = p.complete!.value;
    if (p.invoke.f === 'read') {
      if (value === null && v === undefined && snap.touched) {
        // An absent key is the initial state, older than anything the session wrote or read.
        const g: Guarantee = isWrite(snap.touched) ? 'RYW' : 'MR';
        checked[g]++;
        report({ guarantee: g, session: s, key: k, op: ref(p), earlier: ref(snap.touched), detail: `read the initial (absent) value after the session ${g === 'RYW' ? 'wrote' : 'read'} a value` });
      } else if (v !== undefined) {
        checked.RYW++;
        checked.MR++;
        if (snap.w && v < snap.w.version) report({ guarantee: 'RYW', session: s, key: k, op: ref(p), earlier: ref(snap.w.p), version: { got: v, mustExceedOrEqual: snap.w.version } });
        if (snap.r && v < snap.r.version) report({ guarantee: 'MR', session: s, key: k, op: ref(p), earlier: ref(snap.r.p), version: { got: v, mustExceedOrEqual: snap.r.version } });
        if (!lastRead.get(key) || v > lastRead.get(key)!.version) lastRead.set(key, { version: v, p });
      } else if (value !== null) unchecked.add(`key ${k}: reads without meta.version; RYW/MR use only "initial < any write"`);
      if (value !== null) touched.set(key, p);
      continue;
    }
    if (!isWrite(p)) continue;
    touched.set(key, p);
    if (v === undefined) {
      unchecked.add(`key ${k}: writes without meta.version; MW/WFR on registers not checked`);
      continue;
    }
    checked.MW++;
    checked.WFR++;
    if (snap.w && v <= snap.w.version) report({ guarantee: 'MW', session: s, key: k, op: ref(p), earlier: ref(snap.w.p), version: { got: v, mustExceed: snap.w.version } });
    if (snap.r && v <= snap.r.version) report({ guarantee: 'WFR', session: s, key: k, op: ref(p), earlier: ref(snap.r.p), version: { got: v, mustExceed: snap.r.version } });
    if (!lastWrite.get(key) || v > lastWrite.get(key)!.version) lastWrite.set(key, { version: v, p });
  }
}

type VClock = Record<string, number>;

function vclockOf(p: OpPair): VClock | undefined {
  const c = p.complete?.meta?.vclock;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  return Object.values(c).every((n) => Number.isSafeInteger(n)) ? (c as VClock) : undefined;
}

/** Components of `need` that `have` lacks, as text; empty when `have` covers `need`. */
function lacking(have: VClock, need: VClock): string {
  return Object.entries(need).filter(([r, n]) => (have[r] ?? 0) < n).map(([r, n]) => `${r}: ${have[r] ?? 0} < ${n}`).join(', ');
}

/**
 * Any key whose acknowledged operations report the key's vector clock (`meta.vclock`: writes seen per region): what
 * a session observed must be in what it later reads and writes. A read's clock must cover the clocks of the
 * session's earlier writes (RYW) and reads (MR) of the key; a write's clock those of its earlier writes (MW) and
 * reads (WFR). This sees a region serving a session before it has what the session saw even when no value shows it.
 */
function checkVectorClocks(pairs: readonly OpPair[], report: (v: SessionViolation) => void, checked: Record<Guarantee, number>): void {
  const seen = new Map<string, { w?: { c: VClock; p: OpPair }; r?: { c: VClock; p: OpPair } }>();
  const atInvoke = new Map<OpPair, { w?: { c: VClock; p: OpPair }; r?: { c: VClock; p: OpPair } }>();
  const join = (a: VClock | undefined, b: VClock): VClock => {
    const out: VClock = { ...a };
    for (const [r, n] of Object.entries(b)) out[r] = Math.max(out[r] ?? 0, n);
    return out;
  };
  for (const { p, phase } of events(pairs)) {
    const key = `${sessionOf(p)}\u0000${p.invoke.key}`;
    if (phase === 'invoke') {
      atInvoke.set(p, { ...seen.get(key) });
      continue;
    }
    if (p.type !== 'ok') continue;
    const c = vclockOf(p);
    if (!c) continue;
    const isRead = p.invoke.f === 'read';
    if (!isRead && p.invoke.f === 'cas' && p.complete?.value === false) continue;
    const snap = atInvoke.get(p)!;
    const pairsToCheck: [Guarantee, { c: VClock; p: OpPair } | undefined][] = isRead ? [['RYW', snap.w], ['MR', snap.r]] : [['MW', snap.w], ['WFR', snap.r]];
    for (const [g, earlier] of pairsToCheck) {
      if (!earlier) continue;
      checked[g]++;
      const gap = lacking(c, earlier.c);
      if (gap) report({ guarantee: g, session: sessionOf(p), key: p.invoke.key!, op: ref(p), earlier: ref(earlier.p), detail: `its vector clock lacks what the session ${g === 'RYW' || g === 'MW' ? 'wrote' : 'read'} before (${gap})` });
    }
    const cur = seen.get(key) ?? {};
    if (isRead) cur.r = { c: join(cur.r?.c, c), p };
    else cur.w = { c: join(cur.w?.c, c), p };
    seen.set(key, cur);
  }
}

/**
 * Session guarantees (Terry et al.; CHECKERS §4.5) per session (`meta.session`, else the process): read your
 * writes, monotonic reads, monotonic writes, writes follow reads. Set/list keys use read contents; register keys
 * use `meta.version`; on either, `meta.vclock` (when reported) must grow along the session. Violations name the session, both operations by history line, their regions and what is
 * missing. Keys with removes are skipped (reads of them need not grow), and said so.
 */
export function checkSessionGuarantees(history: readonly IndexedOp[], opts: SessionOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true && p.invoke.key !== undefined);
  const fsByKey = new Map<string, Set<string>>();
  for (const p of pairs) mapGet(fsByKey, p.invoke.key!, () => new Set()).add(p.invoke.f);
  const setKeys = new Set<string>();
  const regKeys = new Set<string>();
  const unchecked = new Set<string>();
  for (const [k, fs] of fsByKey) {
    if (fs.has('remove')) unchecked.add(`key ${k}: has removes; session guarantees not checked on it`);
    else if (fs.has('add') || fs.has('append')) setKeys.add(k);
    else if (fs.has('read') || [...REGISTER_WRITE_FS].some((f) => fs.has(f))) regKeys.add(k);
  }
  const relevant = (keys: Set<string>) => pairs.filter((p) => keys.has(p.invoke.key!) && (p.invoke.f === 'read' || WRITE_FS.has(p.invoke.f) || REGISTER_WRITE_FS.has(p.invoke.f)));
  const violations: SessionViolation[] = [];
  const counts: Record<Guarantee, number> = { RYW: 0, MR: 0, MW: 0, WFR: 0 };
  const checked: Record<Guarantee, number> = { RYW: 0, MR: 0, MW: 0, WFR: 0 };
  const report = (v: SessionViolation) => {
    if (counts[v.guarantee]++ < maxReported) violations.push(v);
  };
  checkSetKeys(relevant(setKeys), report, checked);
  checkVectorClocks(relevant(new Set([...setKeys, ...regKeys])), report, checked);
  checkRegisterKeys(relevant(regKeys), report, checked, unchecked);

  const broken = (Object.keys(counts) as Guarantee[]).filter((g) => counts[g] > 0);
  let valid: Validity = true;
  let reason: string;
  if (broken.length) {
    valid = false;
    reason = broken.map((g) => `${counts[g]} ${g}`).join(', ') + ' violations';
  } else if (Object.values(checked).every((n) => n === 0)) {
    valid = 'unknown';
    reason = 'no reads or writes a session guarantee could be checked on';
  } else reason = `no violations (${Object.entries(checked).map(([g, n]) => `${n} ${g} checks`).join(', ')})`;
  return { valid, reason, counts, checked, violations, ...(unchecked.size ? { unchecked: [...unchecked] } : {}) };
}

export function sessionGuaranteesChecker(opts: SessionOptions = {}): Checker {
  return {
    name: 'session-guarantees',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkSessionGuarantees(history, opts),
  };
}
