import { EdgeList, RW, WR, WW } from './graph.ts';
import { fmt, mopOf, pushAnomaly, type DataReason, type Inference } from './inference.ts';
import { Flags, IntList } from './ints.ts';
import { checkReadElements, ElleInputError, txnRef, type Key, type Txn } from './txns.ts';

type Elem = string | number;
/** The empty list: the version before any append. */
const INIT: unique symbol = Symbol('initial state');
type Version = Elem | typeof INIT;
/** Element records stand for versions; this one is the empty list. */
const INIT_REC = -1;
const EMPTY: readonly Elem[] = [];
const NONE = -1;

interface KeyInfo {
  key: Key;
  /** Element → its record: every element appended to the key, and every element of its longest read. */
  elems: Map<Elem, number>;
  longest?: readonly Elem[];
  longestTxn?: Txn;
  longestMop?: number;
  /** Records of the longest read without duplicates: the order in which the key's versions were installed. */
  versions: number[];
  longestHasDuplicates: boolean;
  /** Position in `longest` of the first element a failed transaction appended (Infinity if none). */
  firstAborted: number;
  /** Head of the list (threaded through `readerNext`) of reads that saw the empty list. */
  initReaders: number;
}

/**
 * Per-element facts in parallel integer columns, indexed by record: no object per element (10^5 transactions
 * append 10^5-10^6 elements, each an object for the garbage collector to copy) and one Map per key, not three.
 */
class Elements {
  /** The transaction that appended the element (any outcome, so aborted writes can be recognised), or NONE. */
  writer = new IntList(1024);
  /** Position in the key's version order, or NONE when the longest read lacks it. */
  pos = new IntList(1024);
  /** Head of the list of reads that ended with the element, or NONE. */
  readers = new IntList(1024);
  key = new IntList(1024);
  /** Index of the appending micro-op in the writer, or NONE. */
  mop = new IntList(1024);
  value: Elem[] = [];

  add(ki: KeyInfo, keyId: number, e: Elem, writer: number, mop: number): number {
    const r = this.writer.push(writer);
    this.mop.push(mop);
    this.pos.push(NONE);
    this.readers.push(NONE);
    this.key.push(keyId);
    this.value.push(e);
    ki.elems.set(e, r);
    return r;
  }
}

const hasDuplicates = (xs: readonly Elem[]): boolean => new Set(xs).size !== xs.length;

function isPrefix(xs: readonly Elem[], of: readonly Elem[]): boolean {
  if (xs.length > of.length) return false;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== of[i]) return false;
  return true;
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
  const keyList: KeyInfo[] = [];
  const keyIds = new Map<Key, number>();
  /** Per key, the last transaction that touched it: a second touch by the same one marks a repeat. */
  const lastToucher = new IntList(1024);
  const anomalies = new Map<string, unknown[]>();
  const edges = new EdgeList();
  const el = new Elements();

  // One pass over the micro-ops; later passes walk these flat columns instead of the (large, scattered) history.
  const appRec = new IntList(1024);
  const readTxn = new IntList(1024), readMop = new IntList(1024), readKey = new IntList(1024);
  const readList: Elem[][] = [];
  const repeatsKey = new Uint8Array(txns.length);
  // Outcomes as bytes: the later passes test them for 10^5 random transactions, which as objects would miss the cache.
  const failed = new Uint8Array(txns.length);
  // What needs a transaction's micro-ops a second time is decided here, while they are in cache: appends its own
  // later append to the key overwrote (a read of one is G1b), and reads of a key it appends to next (lost update).
  // Byte flags, not Sets: they are tested once per read.
  const intermediate = new Flags(), readsThenAppends = new Flags();
  for (let id = 0; id < txns.length; id++) {
    const t = txns[id];
    const mops = t.mops;
    if (t.outcome === 'fail') failed[t.id] = 1;
    const firstRead = readTxn.length, firstRec = el.writer.length;
    for (let i = 0; i < mops.length; i++) {
      const m = mops[i];
      const f = m[0], k = m[1], v = m[2];
      let keyId = keyIds.get(k);
      if (keyId === undefined) {
        keyId = keyList.length;
        keyIds.set(k, keyId);
        const ki: KeyInfo = { key: k, elems: new Map(), versions: [], longestHasDuplicates: false, firstAborted: Infinity, initReaders: NONE };
        keyList.push(ki);
        lastToucher.push(NONE);
      }
      if (lastToucher.a[keyId] === t.id) repeatsKey[t.id] = 1;
      else lastToucher.a[keyId] = t.id;
      const ki = keyList[keyId];
      if (f === 'append') {
        const prev = ki.elems.get(v as Elem);
        if (prev !== undefined) {
          const other = txns[el.writer.a[prev]];
          throw new ElleInputError((t.complete ?? t.invoke).line, `value[${i}]`,
            `${fmt(v)} is appended to key ${fmt(k)} again (first on line ${(other.complete ?? other.invoke).line}); list-append needs unique appended elements`);
        }
        const r = el.add(ki, keyId, v as Elem, t.id, i);
        if (t.outcome !== 'fail') appRec.push(r);
      } else if (t.outcome === 'ok') {
        // A key never appended to reads as null (absent): that is the initial, empty list, and a reader of it must
        // precede the key's first append. Skipping it would hide a stale read of a key that no longer is empty.
        const list = (v ?? EMPTY) as Elem[];
        if (!ki.longest || list.length > ki.longest.length) {
          ki.longest = list;
          ki.longestTxn = t;
          ki.longestMop = i;
        }
        readTxn.push(t.id);
        readMop.push(i);
        readKey.push(keyId);
        readList.push(list);
      }
    }
    if (!repeatsKey[t.id]) continue;
    for (let r = firstRec; r < el.writer.length; r++) if (appendsLater(t, keyList[el.key.a[r]].key, el.mop.a[r])) intermediate.set(r);
    // Only a transaction that touches a key twice can read it first and append to it later.
    for (let r = firstRead; r < readTxn.length; r++) {
      const k = keyList[readKey.a[r]].key, i = readMop.a[r];
      if (!touchedBefore(mops, k, i) && appendsLater(t, k, i)) readsThenAppends.set(r);
    }
    if (t.outcome === 'ok') checkInternal(t, anomalies);
  }

  for (let keyId = 0; keyId < keyList.length; keyId++) {
    const ki = keyList[keyId];
    const longest = ki.longest ?? [];
    if (ki.longest) checkReadElements(longest, ki.longestTxn!, ki.longestMop!);
    for (let i = 0; i < longest.length; i++) {
      const e = longest[i];
      let r = ki.elems.get(e);
      if (r === undefined) r = el.add(ki, keyId, e, NONE, NONE);
      else if (el.pos.a[r] !== NONE) {
        ki.longestHasDuplicates = true;
        continue;
      }
      el.pos.a[r] = ki.versions.length;
      ki.versions.push(r);
    }
    let aborted = NONE;
    for (let i = 0; i < ki.versions.length; i++) {
      const r = ki.versions[i];
      const w = el.writer.a[r];
      if (w === NONE) continue;
      if (failed[w]) {
        if (aborted === NONE) {
          aborted = r;
          ki.firstAborted = longest.indexOf(el.value[r]);
        }
      } else if (aborted !== NONE) {
        pushAnomaly(anomalies, 'dirty-update', {
          key: ki.key,
          aborted: { element: el.value[aborted], writer: txnRef(txns[el.writer.a[aborted]]) },
          committed: { element: el.value[r], writer: txnRef(txns[w]) },
          read: txnRef(ki.longestTxn!),
        });
        break;
      }
    }
  }
  // Records are all made; from here on the columns are read through their final arrays.
  const writerOf = el.writer.a, mopOfRec = el.mop.a, posOf = el.pos.a, readersOf = el.readers.a, keyOf = el.key.a, valueOf = el.value;
  const writerOfElem = (ki: KeyInfo, e: Elem): number => {
    const r = ki.elems.get(e);
    return r === undefined ? NONE : writerOf[r];
  };

  const lostUpdate = new Map<KeyInfo, Map<Version, number[]>>();
  // Readers of a version, as linked lists over read numbers: no array per version read.
  const reads = readTxn.length;
  const readerNext = new Int32Array(reads);
  const rTxn = readTxn.a, rMop = readMop.a, rKey = readKey.a;
  for (let r = 0; r < reads; r++) {
    const tid = rTxn[r];
    const i = rMop[r], ki = keyList[rKey[r]], list = readList[r], k = ki.key;
    const longest = ki.longest!;
    const prefix = isPrefix(list, longest);
    if (!prefix) {
      checkReadElements(list, txns[tid], i);
      pushAnomaly(anomalies, 'incompatible-order', { key: k, values: [list, longest], op: txnRef(txns[tid]), mop: i, longestOp: txnRef(ki.longestTxn!) });
    }
    if ((!prefix || ki.longestHasDuplicates) && hasDuplicates(list)) {
      pushAnomaly(anomalies, 'duplicate-elements', { key: k, value: list, op: txnRef(txns[tid]), mop: i });
    }
    const aborted = prefix ? (list.length > ki.firstAborted ? longest[ki.firstAborted] : undefined) : list.find((e) => {
      const w = writerOfElem(ki, e);
      return w !== NONE && failed[w] === 1;
    });
    if (aborted !== undefined) {
      pushAnomaly(anomalies, 'G1a', { key: k, element: aborted, op: txnRef(txns[tid]), mop: i, writer: txnRef(txns[writerOfElem(ki, aborted)]) });
    }
    let last: Version = INIT;
    if (list.length === 0) {
      readerNext[r] = ki.initReaders;
      ki.initReaders = r;
    } else {
      last = list[list.length - 1];
      const rec = ki.elems.get(last);
      // A read ending in an element nobody appended and the longest read lacks precedes no append: no edges.
      if (rec !== undefined) {
        readerNext[r] = readersOf[rec];
        readersOf[rec] = r;
        const w = writerOf[rec];
        if (w !== NONE && w !== tid && !failed[w]) {
          edges.add(w, tid, WR);
          if (intermediate.has(rec)) {
            pushAnomaly(anomalies, 'G1b', { key: k, element: last, op: txnRef(txns[tid]), mop: i, writer: txnRef(txns[w]), writerMop: mopOfRec[rec] });
          }
        }
      }
    }
    if (readsThenAppends.has(r)) {
      let byVersion = lostUpdate.get(ki);
      if (!byVersion) lostUpdate.set(ki, (byVersion = new Map()));
      const group = byVersion.get(last);
      if (group) group.push(tid);
      else byVersion.set(last, [tid]);
    }
  }
  for (const [ki, byVersion] of lostUpdate) {
    for (const [version, group] of byVersion) {
      if (group.length < 2) continue;
      pushAnomaly(anomalies, 'lost-update', { key: ki.key, value: version === INIT ? null : version, txns: group.map((id) => txnRef(txns[id])) });
    }
  }

  /** The version an append (record `r`) overwrote; an append nobody read must follow everything anyone read. */
  const prevOf = (ki: KeyInfo, r: number): number => {
    const p = posOf[r];
    if (p === NONE) return ki.versions.length > 0 ? ki.versions[ki.versions.length - 1] : INIT_REC;
    return p === 0 ? INIT_REC : ki.versions[p - 1];
  };

  const apps = appRec.a;
  for (let a = 0; a < appRec.length; a++) {
    const r = apps[a];
    const ki = keyList[keyOf[r]], id = writerOf[r];
    const prev = prevOf(ki, r);
    if (prev !== INIT_REC) {
      const w = writerOf[prev];
      if (w !== NONE && !failed[w]) edges.add(w, id, WW);
    }
    for (let x = prev === INIT_REC ? ki.initReaders : readersOf[prev]; x !== NONE; x = readerNext[x]) edges.add(rTxn[x], id, RW);
  }

  const explain = (a: Txn, b: Txn, rel: number): DataReason | undefined => {
    const bm = b.mops;
    for (let j = 0; j < bm.length; j++) {
      // Index access, not destructuring: this runs a few thousand times, mostly before the JIT has optimised it.
      const m = bm[j];
      const f = m[0], k = m[1], v = m[2];
      const ki = keyList[keyIds.get(k)!];
      if (rel === WR) {
        if (f !== 'r' || b.outcome !== 'ok' || v === null || (v as Elem[]).length === 0) continue;
        const last = (v as Elem[])[(v as Elem[]).length - 1];
        if (writerOfElem(ki, last) !== a.id) continue;
        return { key: k, value: last, aMop: mopOf(a, 'append', k, last), bMop: j, text: (A, B) => `${B} observed ${A}'s append of ${fmt(last)} to key ${fmt(k)}` };
      }
      if (f !== 'append') continue;
      const prevRec = prevOf(ki, ki.elems.get(v as Elem)!);
      const prev: Version = prevRec === INIT_REC ? INIT : valueOf[prevRec];
      if (rel === WW) {
        if (prev === INIT || writerOf[prevRec] !== a.id) continue;
        return { key: k, value: v, aMop: mopOf(a, 'append', k, prev), bMop: j, text: (A, B) => `${B} appended ${fmt(v)} after ${A} appended ${fmt(prev)} to key ${fmt(k)}` };
      }
      if (rel === RW && a.outcome === 'ok') {
        for (let i = 0; i < a.mops.length; i++) {
          const am = a.mops[i];
          const av = am[2];
          if (am[0] !== 'r' || am[1] !== k) continue;
          const list = (av ?? EMPTY) as Elem[];
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
    if (m[0] !== 'r') continue;
    const k = m[1];
    // null is the initial, empty list here as in the inference: appending 1 and then reading null is internal.
    const list = (m[2] ?? EMPTY) as Elem[];
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
    let base: readonly Elem[] | undefined;
    for (let j = i - 1; j >= 0; j--) {
      const n = mops[j];
      if (n[1] !== k) continue;
      if (n[0] === 'append') appended++;
      else {
        base = (n[2] ?? EMPTY) as Elem[];
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
    pushAnomaly(anomalies, 'internal', { key: k, op: txnRef(t), mop: i, expected: base ? [...base, ...tail] : ['...', ...tail], actual: m[2] });
  }
}
