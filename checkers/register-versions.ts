import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { parseHlc, versionOf } from './versions.ts';
import { valueKey } from './value-key.ts';

export interface RegisterVersionsOptions {
  /** Cap on listed mismatches; the count is always complete. */
  maxReported?: number;
}

const line = (p: OpPair): number => (p.complete ?? p.invoke).line;

/**
 * Last-writer-wins registers with unique written values, where every acknowledged write and read reports its
 * version token (`meta.version`) and the version order is the order writes win in. A read must then show the value
 * of the very write whose version it reports: the winner is the highest version. A read whose value was written with
 * another version shows a write that lost by version and still won in that region, which is how a tie-break or merge
 * that disagrees with the version order shows, in any read, long before final reads could.
 *
 * With vector clocks on reads and writes it also catches the quieter form: a region showing its own value, with its
 * own version, while its clock says it already holds a write of a higher version (a tie kept locally, a merge that
 * ignored the order).
 *
 * A `delete` writes a tombstone, which wins or loses by version like a value: a read of null reporting a delete's
 * version shows that delete, and a read of null reporting a value's version (or a value reporting a delete's) shows
 * what lost. Keys whose writes are blind `write`s and `delete`s only (no cas, no removes) are judged; reads of
 * values written by operations of unknown outcome (no version reported) and reads of the initial null are skipped.
 */
type VClock = Readonly<Record<string, number>>;
const vclockOf = (p: OpPair): VClock | undefined => {
  const c = p.complete?.meta?.vclock;
  return typeof c === 'object' && c !== null ? (c as VClock) : undefined;
};

/**
 * For a read's vector clock, the highest-versioned acknowledged write its region already holds: writes of each origin
 * carry that origin's count of writes to the key, and replication applies each origin's writes in order, so a region
 * whose clock counts k writes of an origin holds that origin's first k. Last-writer-wins then forbids showing a value
 * of a lower version. Answers undefined when nothing held beats `version`.
 */
function heldWinners(ps: readonly OpPair[]): (clock: VClock | undefined, version: string) => { version: string; p: OpPair } | undefined {
  const byOrigin = new Map<string, { n: number; version: string; p: OpPair }[]>();
  for (const p of ps) {
    const version = versionOf(p);
    const origin = version === undefined ? undefined : parseHlc(version)?.origin;
    const n = origin === undefined ? undefined : vclockOf(p)?.[origin];
    if (!BLIND_WRITES.has(p.invoke.f) || p.type !== 'ok' || origin === undefined || typeof n !== 'number') continue;
    let xs = byOrigin.get(origin);
    if (!xs) byOrigin.set(origin, (xs = []));
    xs.push({ n, version: version!, p });
  }
  // Per origin, by count, the best version among that origin's first writes: a prefix maximum.
  for (const xs of byOrigin.values()) {
    xs.sort((a, b) => a.n - b.n);
    for (let i = 1; i < xs.length; i++) if (xs[i - 1].version > xs[i].version) xs[i] = { ...xs[i], version: xs[i - 1].version, p: xs[i - 1].p };
  }
  return (clock, version) => {
    if (!clock) return undefined;
    let best: { version: string; p: OpPair } | undefined;
    for (const [origin, count] of Object.entries(clock)) {
      const xs = byOrigin.get(origin);
      if (!xs || typeof count !== 'number') continue;
      let lo = 0;
      let hi = xs.length - 1;
      let at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (xs[mid].n <= count) { at = mid; lo = mid + 1; } else hi = mid - 1;
      }
      if (at >= 0 && xs[at].version > version && (!best || xs[at].version > best.version)) best = xs[at];
    }
    return best;
  };
}

/** The writes a judged key may take: values and tombstones, each under the version its acknowledgement reports. */
const BLIND_WRITES: ReadonlySet<string> = new Set(['write', 'delete']);

export function checkRegisterVersions(history: readonly IndexedOp[], opts: RegisterVersionsOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairOps(history)) {
    if (p.invoke.meta?.probe === true || p.invoke.key === undefined) continue;
    let xs = byKey.get(p.invoke.key);
    if (!xs) byKey.set(p.invoke.key, (xs = []));
    xs.push(p);
  }
  let judged = 0;
  let mismatches = 0;
  const listed: unknown[] = [];
  const unchecked: string[] = [];
  for (const [key, ps] of byKey) {
    if (!ps.some((p) => BLIND_WRITES.has(p.invoke.f)) || ps.some((p) => !BLIND_WRITES.has(p.invoke.f) && p.invoke.f !== 'read')) continue;
    const written = new Map<string, OpPair>();
    const byVersion = new Map<string, OpPair>();
    let unversioned = false;
    for (const p of ps) {
      if (!BLIND_WRITES.has(p.invoke.f) || p.type !== 'ok') continue;
      const v = versionOf(p);
      if (v === undefined) unversioned = true;
      else {
        byVersion.set(v, p);
        if (p.invoke.f === 'write') written.set(valueKey(p.invoke.value), p);
      }
    }
    if (unversioned) {
      unchecked.push(`key ${key}: acknowledged writes without meta.version; not judged`);
      continue;
    }
    const held = heldWinners(ps);
    for (const p of ps) {
      if (p.invoke.f !== 'read' || p.type !== 'ok') continue;
      const got = versionOf(p);
      if (got === undefined) continue;
      const value = p.complete!.value;
      const region = p.complete?.region ?? p.invoke.region;
      // Null is what the initial absence and every delete read as; which, the version says.
      const w = value === null ? byVersion.get(got) : written.get(valueKey(value));
      if (w === undefined) continue;
      judged++;
      const shownBy = value === null ? (w.invoke.f === 'delete' ? got : undefined) : versionOf(w);
      if (shownBy !== got) {
        if (mismatches++ < maxReported) {
          listed.push(value === null
            ? { key, line: line(p), region, value, version: got, butThatVersionWrote: w.invoke.value, write: line(w) }
            : { key, line: line(p), region, value, version: got, writtenWith: shownBy, write: line(w) });
        }
        continue;
      }
      const beaten = held(vclockOf(p), got);
      if (beaten && mismatches++ < maxReported) {
        listed.push({ key, line: line(p), region, value, version: got, heldWrite: line(beaten.p), heldVersion: beaten.version });
      }
    }
  }
  let valid: Validity = true;
  let reason: string;
  if (mismatches > 0) {
    valid = false;
    reason = `${mismatches} reads show a value that lost by version: to the write of the version they report, or to a write their region already held`;
  } else if (judged === 0) {
    valid = 'unknown';
    reason = 'no read of a versioned register write to judge';
  } else reason = `${judged} reads show the write of the version they report`;
  return { valid, reason, judged, mismatches: listed, ...(unchecked.length ? { unchecked } : {}) };
}

export function registerVersionsChecker(opts: RegisterVersionsOptions = {}): Checker {
  return { name: 'register-versions', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkRegisterVersions(history, opts) };
}
