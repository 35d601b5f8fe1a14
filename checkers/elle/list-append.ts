import { EdgeList, RW, WR, WW } from './graph.ts';
import { fmt, mopOf, pushAnomaly, type DataReason, type Inference } from './inference.ts';
import { checkReadElements, ElleInputError, txnRef, type Key, type Txn } from './txns.ts';

type Elem = string | number;
/** The empty list: the version before any append. */
const INIT: unique symbol = Symbol('initial state');
type Version = Elem | typeof INIT;

interface KeyInfo {
  key: Key;
  /** Element → id of the transaction that appended it (any outcome, so aborted writes can be recognised). */
  writers: Map<Elem, number>;
  longest?: readonly Elem[];
  longestTxn?: Txn;
  longestMop?: number;
  /** The longest read without duplicates: the order in which the key's versions were installed. */
  versions: Elem[];
  pos: Map<Elem, number>;
  longestHasDuplicates: boolean;
  /** Position in `longest` of the first element a failed transaction appended (Infinity if none). */
  firstAborted: number;
  /** Transactions whose read of the key ended with the given version: the head of a list threaded through `readerNext`. */
  readers: Map<Version, number>;
}

const hasDuplicates = (xs: readonly Elem[]): boolean => new Set(xs).size !== xs.length;

function isPrefix(xs: readonly Elem[], of: readonly Elem[]): boolean {
  if (xs.length > of.length) return false;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== of[i]) return false;
  return true;
}

/** Transactions are short (Elle's are 1-10 micro-ops), so quadratic scans beat allocating a Set per transaction. */
function touchesKeyTwice(mops: Txn['mops']): boolean {
  for (let i = 1; i < mops.length; i++) if (touchedBefore(mops, mops[i][1], i)) return true;
  return false;
}

function touchedBefore(mops: Txn['mops'], key: Key, i: number): boolean {
  for (let j = 0; j < i; j++) if (mops[j][1] === key) return true;
  return false;
}

/** Did `t` append to `key` again after micro-op `mop`? Then the state `mop` produced was intermediate. */
function appendsLater(t: Txn, key: Key, mop: number): boolean {
  for (let j = mop + 1; j < t.mops.length; j++) if (t.mops[j][0] === 'append' && t.mops[j][1] === key) return true;
  return false;
}

/**
 * Infers list-append dependencies (CHECKERS.md §3.2). Lists are traceable: a read of [1 2 3] proves the versions
 * [], [1], [1 2] were installed in that order, so the longest read of each key gives its version order, and each
 * append's predecessor in that order yields ww and rw edges.
 */
export function inferListAppend(txns: readonly Txn[]): Inference {
  const keys = new Map<Key, KeyInfo>();
  const info = (k: Key): KeyInfo => {
    let ki = keys.get(k);
    if (!ki) {
      ki = { key: k, writers: new Map(), versions: [], pos: new Map(), longestHasDuplicates: false, firstAborted: Infinity, readers: new Map() };
      keys.set(k, ki);
    }
    return ki;
  };
  const anomalies = new Map<string, unknown[]>();
  const edges = new EdgeList();

  // One pass over the micro-ops; later passes walk these flat lists instead of the (large, scattered) history.
  const appTxn: number[] = [], appKey: KeyInfo[] = [], appElem: Elem[] = [];
  const readTxn: number[] = [], readMop: number[] = [], readKey: KeyInfo[] = [], readList: Elem[][] = [];
  const repeatsKey = new Uint8Array(txns.length);
  for (const t of txns) {
    const mops = t.mops;
    if (mops.length > 1 && touchesKeyTwice(mops)) repeatsKey[t.id] = 1;
    for (let i = 0; i < mops.length; i++) {
      const m = mops[i];
      const f = m[0], k = m[1], v = m[2];
      const ki = info(k);
      if (f === 'append') {
        const prev = ki.writers.get(v as Elem);
        if (prev !== undefined) {
          const other = txns[prev];
          throw new ElleInputError((t.complete ?? t.invoke).line, `value[${i}]`,
            `${fmt(v)} is appended to key ${fmt(k)} again (first on line ${(other.complete ?? other.invoke).line}); list-append needs unique appended elements`);
        }
        ki.writers.set(v as Elem, t.id);
        if (t.outcome !== 'fail') {
          appTxn.push(t.id);
          appKey.push(ki);
          appElem.push(v as Elem);
        }
      } else if (t.outcome === 'ok' && v !== null) {
        const list = v as Elem[];
        if (!ki.longest || list.length > ki.longest.length) {
          ki.longest = list;
          ki.longestTxn = t;
          ki.longestMop = i;
        }
        readTxn.push(t.id);
        readMop.push(i);
        readKey.push(ki);
        readList.push(list);
      }
    }
  }

  for (const ki of keys.values()) {
    const longest = ki.longest ?? [];
    if (ki.longest) checkReadElements(longest, ki.longestTxn!, ki.longestMop!);
    for (let i = 0; i < longest.length; i++) {
      const e = longest[i];
      if (ki.pos.has(e)) {
        ki.longestHasDuplicates = true;
        continue;
      }
      ki.pos.set(e, ki.versions.length);
      ki.versions.push(e);
    }
    let aborted: Elem | undefined;
    for (let i = 0; i < ki.versions.length; i++) {
      const e = ki.versions[i];
      const w = ki.writers.get(e);
      if (w === undefined) continue;
      const wt = txns[w];
      if (wt.outcome === 'fail') {
        if (aborted === undefined) {
          aborted = e;
          ki.firstAborted = longest.indexOf(e);
        }
      } else if (aborted !== undefined) {
        pushAnomaly(anomalies, 'dirty-update', {
          key: ki.key,
          aborted: { element: aborted, writer: txnRef(txns[ki.writers.get(aborted)!]) },
          committed: { element: e, writer: txnRef(wt) },
          read: txnRef(ki.longestTxn!),
        });
        break;
      }
    }
  }

  const lostUpdate = new Map<KeyInfo, Map<Version, number[]>>();
  for (const t of txns) if (repeatsKey[t.id] && t.outcome === 'ok') checkInternal(t, anomalies);
  // Readers of a version, as linked lists over read numbers: no array per version read.
  const readerNext = new Int32Array(readTxn.length);
  for (let r = 0; r < readTxn.length; r++) {
    const t = txns[readTxn[r]];
    const i = readMop[r], ki = readKey[r], list = readList[r], k = ki.key;
    const longest = ki.longest!;
    const prefix = isPrefix(list, longest);
    if (!prefix) {
      checkReadElements(list, t, i);
      pushAnomaly(anomalies, 'incompatible-order', { key: k, values: [list, longest], op: txnRef(t), mop: i, longestOp: txnRef(ki.longestTxn!) });
    }
    if ((!prefix || ki.longestHasDuplicates) && hasDuplicates(list)) {
      pushAnomaly(anomalies, 'duplicate-elements', { key: k, value: list, op: txnRef(t), mop: i });
    }
    const aborted = prefix ? (list.length > ki.firstAborted ? longest[ki.firstAborted] : undefined) : list.find((e) => {
      const w = ki.writers.get(e);
      return w !== undefined && txns[w].outcome === 'fail';
    });
    if (aborted !== undefined) {
      pushAnomaly(anomalies, 'G1a', { key: k, element: aborted, op: txnRef(t), mop: i, writer: txnRef(txns[ki.writers.get(aborted)!]) });
    }
    const last: Version = list.length === 0 ? INIT : list[list.length - 1];
    readerNext[r] = ki.readers.get(last) ?? -1;
    ki.readers.set(last, r);
    if (last !== INIT) {
      const w = ki.writers.get(last);
      if (w !== undefined) {
        const wt = txns[w];
        if (wt !== t && wt.outcome !== 'fail') {
          edges.add(wt.id, t.id, WR);
          const wm = repeatsKey[wt.id] ? mopOf(wt, 'append', k, last) : -1;
          if (wm >= 0 && appendsLater(wt, k, wm)) {
            pushAnomaly(anomalies, 'G1b', { key: k, element: last, op: txnRef(t), mop: i, writer: txnRef(wt), writerMop: wm });
          }
        }
      }
    }
    // Only a transaction that touches a key twice can read it first and append to it later.
    if (repeatsKey[t.id] && !touchedBefore(t.mops, k, i) && appendsLater(t, k, i)) {
      let byVersion = lostUpdate.get(ki);
      if (!byVersion) lostUpdate.set(ki, (byVersion = new Map()));
      const group = byVersion.get(last);
      if (group) group.push(t.id);
      else byVersion.set(last, [t.id]);
    }
  }
  for (const [ki, byVersion] of lostUpdate) {
    for (const [version, group] of byVersion) {
      if (group.length < 2) continue;
      pushAnomaly(anomalies, 'lost-update', { key: ki.key, value: version === INIT ? null : version, txns: group.map((id) => txnRef(txns[id])) });
    }
  }

  /** The version an append of `e` overwrote; an append nobody read must follow everything anyone read. */
  const prevOf = (ki: KeyInfo, e: Elem): Version => {
    const p = ki.pos.get(e);
    if (p === undefined) return ki.versions.length > 0 ? ki.versions[ki.versions.length - 1] : INIT;
    return p === 0 ? INIT : ki.versions[p - 1];
  };

  for (let a = 0; a < appTxn.length; a++) {
    const ki = appKey[a], id = appTxn[a];
    const prev = prevOf(ki, appElem[a]);
    if (prev !== INIT) {
      const w = ki.writers.get(prev);
      if (w !== undefined && txns[w].outcome !== 'fail') edges.add(w, id, WW);
    }
    for (let r = ki.readers.get(prev) ?? -1; r !== -1; r = readerNext[r]) edges.add(readTxn[r], id, RW);
  }

  const explain = (a: Txn, b: Txn, rel: number): DataReason | undefined => {
    const bm = b.mops;
    for (let j = 0; j < bm.length; j++) {
      const [f, k, v] = bm[j];
      const ki = keys.get(k)!;
      if (rel === WR) {
        if (f !== 'r' || b.outcome !== 'ok' || v === null || (v as Elem[]).length === 0) continue;
        const last = (v as Elem[])[(v as Elem[]).length - 1];
        const w = ki.writers.get(last);
        if (w !== a.id) continue;
        return { key: k, value: last, aMop: mopOf(a, 'append', k, last), bMop: j, text: (A, B) => `${B} observed ${A}'s append of ${fmt(last)} to key ${fmt(k)}` };
      }
      if (f !== 'append') continue;
      const prev = prevOf(ki, v as Elem);
      if (rel === WW) {
        if (prev === INIT) continue;
        const w = ki.writers.get(prev);
        if (w !== a.id) continue;
        return { key: k, value: v, aMop: mopOf(a, 'append', k, prev), bMop: j, text: (A, B) => `${B} appended ${fmt(v)} after ${A} appended ${fmt(prev)} to key ${fmt(k)}` };
      }
      if (rel === RW && a.outcome === 'ok') {
        for (let i = 0; i < a.mops.length; i++) {
          const [af, ak, av] = a.mops[i];
          if (af !== 'r' || ak !== k || av === null) continue;
          const list = av as Elem[];
          const last: Version = list.length === 0 ? INIT : list[list.length - 1];
          if (last !== prev) continue;
          return {
            key: k, value: v, aMop: i, bMop: j,
            text: prev === INIT
              ? (A, B) => `${A} observed the initial (empty) state of key ${fmt(k)}, which ${B} created by appending ${fmt(v)}`
              : (A, B) => `${A} did not observe ${B}'s append of ${fmt(v)} to key ${fmt(k)}`,
          };
        }
      }
    }
    return undefined;
  };

  return { edges, anomalies, explain };
}

/**
 * Within one transaction, a read must show what the transaction itself last read or appended (CHECKERS.md §3.2.6):
 * after appends to a key it has not read, only the tail is known. Also flags reads of the transaction's own later
 * appends (future reads). Walks backwards from each read instead of keeping per-key state: transactions are short,
 * and this allocates nothing unless something is wrong.
 */
function checkInternal(t: Txn, anomalies: Map<string, unknown[]>): void {
  const mops = t.mops;
  for (let i = 0; i < mops.length; i++) {
    const m = mops[i];
    if (m[0] !== 'r' || m[2] === null) continue;
    const k = m[1];
    const list = m[2] as Elem[];
    for (let j = i + 1; j < mops.length; j++) {
      const n = mops[j];
      if (n[0] === 'append' && n[1] === k && list.includes(n[2] as Elem)) {
        pushAnomaly(anomalies, 'future-read', { key: k, element: n[2], op: txnRef(t), mop: i });
        break;
      }
    }
    // The last earlier read of k (if any) and the number of appends to k since it, or since the start.
    let appended = 0;
    let from = 0;
    let base: Elem[] | undefined;
    for (let j = i - 1; j >= 0; j--) {
      const n = mops[j];
      if (n[1] !== k) continue;
      if (n[0] === 'append') appended++;
      else if (n[2] !== null) {
        base = n[2] as Elem[];
        from = j + 1;
        break;
      }
    }
    if (appended === 0 && base === undefined) continue;
    // Those appends must sit right after `base`, or at the very end when the prefix is unknown.
    const offset = base ? base.length : list.length - appended;
    let ok = offset >= 0 && (!base || (list.length === base.length + appended && isPrefix(base, list)));
    for (let j = from, x = offset; ok && j < i; j++) {
      if (mops[j][1] !== k || mops[j][0] !== 'append') continue;
      if (list[x++] !== mops[j][2]) ok = false;
    }
    if (ok) continue;
    const tail = mops.slice(from, i).filter((n) => n[1] === k && n[0] === 'append').map((n) => n[2] as Elem);
    pushAnomaly(anomalies, 'internal', { key: k, op: txnRef(t), mop: i, expected: base ? [...base, ...tail] : ['...', ...tail], actual: list });
  }
}
