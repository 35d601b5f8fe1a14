import { EdgeList, RW, toCsr, WR, WW } from './graph.ts';
import { fmt, mopOf, pushAnomaly, type DataReason, type Inference } from './inference.ts';
import { stronglyConnected } from './scc.ts';
import { assumedVersionOrder, INIT, type Assumption, type Version } from './key-order.ts';
import { ElleInputError, txnRef, type Key, type Txn } from './txns.ts';

type Value = string | number;

interface KeyInfo {
  key: Key;
  writers: Map<Value, number>;
  /** Transactions whose first access to the key was a read of the given version. */
  extReaders: Map<Version, number[]>;
  /** Final write of each non-failed transaction that wrote the key: the versions it installed. */
  extWriters: Map<Value, number>;
  /** Version order: known successors of each version. */
  next: Map<Version, Set<Version>>;
}

const versionOf = (v: unknown): Version => (v === null ? INIT : (v as Value));
const show = (v: Version): string => (v === INIT ? 'the initial (null) value' : fmt(v));

/**
 * Infers rw-register dependencies (CHECKERS.md §3.3). Blind writes hide history, so the version order per key is
 * partial: the initial value precedes every write, and a transaction that read v1 and then wrote v2 puts v1 before
 * v2; each assumption (`sequential-keys`, `linearizable-keys`) adds the orders it implies. The sources are merged in
 * that order, and one that would make a key's order cyclic is reported (cyclic-versions, naming the sources) and
 * left out for that key.
 */
export function inferRwRegister(txns: readonly Txn[], assume: readonly Assumption[] = []): Inference {
  const keys = new Map<Key, KeyInfo>();
  const info = (k: Key): KeyInfo => {
    let ki = keys.get(k);
    if (!ki) keys.set(k, (ki = { key: k, writers: new Map(), extReaders: new Map(), extWriters: new Map(), next: new Map() }));
    return ki;
  };
  const anomalies = new Map<string, unknown[]>();
  const edges = new EdgeList();

  for (let id = 0; id < txns.length; id++) {
    const t = txns[id];
    t.mops.forEach(([f, k, v], i) => {
      if (f !== 'w') return;
      const ki = info(k);
      const prev = ki.writers.get(v as Value);
      if (prev !== undefined) {
        const other = txns[prev];
        throw new ElleInputError((t.complete ?? t.invoke).line, `value[${i}]`,
          `${fmt(v)} is written to key ${fmt(k)} again (first on line ${(other.complete ?? other.invoke).line}); rw-register needs unique written values`);
      }
      ki.writers.set(v as Value, t.id);
    });
  }

  const wfr = new Map<Key, [Version, Version][]>();
  const lostUpdate = new Map<KeyInfo, Map<Version, number[]>>();
  for (let id = 0; id < txns.length; id++) {
    const t = txns[id];
    if (t.outcome === 'fail') continue;
    const firstRead = new Map<Key, Version | null>();
    const lastWrite = new Map<Key, number>();
    const state = new Map<Key, Version>();
    t.mops.forEach(([f, k, v], i) => {
      if (f === 'w') {
        if (!firstRead.has(k)) firstRead.set(k, null);
        lastWrite.set(k, i);
        state.set(k, v as Value);
        return;
      }
      if (t.outcome !== 'ok') return;
      const ver = versionOf(v);
      const expected = state.get(k);
      if (expected !== undefined && expected !== ver) {
        pushAnomaly(anomalies, 'internal', { key: k, op: txnRef(t), mop: i, expected: expected === INIT ? null : expected, actual: v });
      }
      state.set(k, ver);
      if (firstRead.has(k)) return;
      firstRead.set(k, ver);
      const ki = info(k);
      const rs = ki.extReaders.get(ver);
      if (rs) rs.push(t.id);
      else ki.extReaders.set(ver, [t.id]);
      if (ver === INIT) return;
      const w = ki.writers.get(ver);
      if (w === undefined) return;
      const wt = txns[w];
      if (wt === t) {
        // Its first access to k returned what it writes only later: the value came from the future.
        pushAnomaly(anomalies, 'future-read', { key: k, value: ver, op: txnRef(t), mop: i, writeMop: mopOf(t, 'w', k, ver) });
        return;
      }
      if (wt.outcome === 'fail') {
        pushAnomaly(anomalies, 'G1a', { key: k, value: ver, op: txnRef(t), mop: i, writer: txnRef(wt) });
        return;
      }
      edges.add(wt.id, t.id, WR);
      const wm = mopOf(wt, 'w', k, ver);
      if (wt.mops.some(([f2, k2], j) => j > wm && f2 === 'w' && k2 === k)) {
        pushAnomaly(anomalies, 'G1b', { key: k, value: ver, op: txnRef(t), mop: i, writer: txnRef(wt), writerMop: wm });
      }
    });
    for (const [k, i] of lastWrite) {
      const ki = info(k);
      const v = t.mops[i][2] as Value;
      ki.extWriters.set(v, t.id);
      const read = firstRead.get(k);
      if (read === null || read === undefined || t.outcome !== 'ok') continue;
      if (read !== v) {
        const list = wfr.get(k);
        if (list) list.push([read, v]);
        else wfr.set(k, [[read, v]]);
      }
      let byVersion = lostUpdate.get(ki);
      if (!byVersion) lostUpdate.set(ki, (byVersion = new Map()));
      const group = byVersion.get(read);
      if (group) group.push(t.id);
      else byVersion.set(read, [t.id]);
    }
  }
  for (const [ki, byVersion] of lostUpdate) {
    for (const [version, group] of byVersion) {
      if (group.length < 2) continue;
      pushAnomaly(anomalies, 'lost-update', { key: ki.key, value: version === INIT ? null : version, txns: group.map((id) => txnRef(txns[id])) });
    }
  }

  const link = (ki: KeyInfo, from: Version, to: Version): void => {
    const s = ki.next.get(from);
    if (s) s.add(to);
    else ki.next.set(from, new Set([to]));
  };
  const sources: [string, Map<Key, [Version, Version][]>][] = [['writes-follow-reads', wfr], ...assume.map((a) => [a, assumedVersionOrder(txns, a)] as [string, Map<Key, [Version, Version][]>])];
  for (const ki of keys.values()) {
    for (const v of ki.extWriters.keys()) link(ki, INIT, v);
    const accepted: [Version, Version][] = [];
    const names = ['initial-state'];
    for (const [name, byKey] of sources) {
      const pairs = byKey.get(ki.key);
      if (!pairs) continue;
      const merged = accepted.concat(pairs);
      // The initial value has no predecessor: its edges can close a cycle only once some pair leads back to it.
      if (merged.some(([, b]) => b === INIT)) for (const v of ki.extWriters.keys()) merged.push([INIT, v]);
      const cycle = versionCycle(merged);
      if (cycle) {
        pushAnomaly(anomalies, 'cyclic-versions', { key: ki.key, versions: cycle.map((v) => (v === INIT ? null : v)), sources: [...names, name] });
        continue;
      }
      names.push(name);
      for (const [a, b] of pairs) {
        accepted.push([a, b]);
        link(ki, a, b);
      }
    }
  }

  for (const ki of keys.values()) {
    for (const [from, tos] of ki.next) {
      const wFrom = from === INIT ? undefined : ki.extWriters.get(from);
      const readers = ki.extReaders.get(from);
      for (const to of tos) {
        if (to === INIT) continue;
        const wTo = ki.extWriters.get(to);
        if (wTo === undefined) continue;
        if (wFrom !== undefined) edges.add(wFrom, wTo, WW);
        if (readers) for (const r of readers) edges.add(r, wTo, RW);
      }
    }
  }

  const extRead = (t: Txn, k: Key): [Version, number] | undefined => {
    for (let i = 0; i < t.mops.length; i++) {
      const [f, k2, v] = t.mops[i];
      if (k2 !== k) continue;
      return f === 'r' && t.outcome === 'ok' ? [versionOf(v), i] : undefined;
    }
    return undefined;
  };
  const extWrite = (t: Txn, k: Key): [Value, number] | undefined => {
    for (let i = t.mops.length - 1; i >= 0; i--) if (t.mops[i][0] === 'w' && t.mops[i][1] === k) return [t.mops[i][2] as Value, i];
    return undefined;
  };

  const explain = (a: Txn, b: Txn, rel: number): DataReason | undefined => {
    for (const ki of keys.values()) {
      const k = ki.key;
      if (rel === WR) {
        const r = extRead(b, k);
        if (!r || r[0] === INIT) continue;
        const w = ki.writers.get(r[0]);
        if (w !== a.id) continue;
        const v = r[0];
        return { key: k, value: v, aMop: mopOf(a, 'w', k, v), bMop: r[1], text: (A, B) => `${B} read ${A}'s write of ${fmt(v)} to key ${fmt(k)}` };
      }
      const wb = extWrite(b, k);
      if (!wb) continue;
      if (rel === WW) {
        const wa = extWrite(a, k);
        if (!wa || !ki.next.get(wa[0])?.has(wb[0])) continue;
        return { key: k, value: wb[0], aMop: wa[1], bMop: wb[1], text: (A, B) => `${B} wrote ${fmt(wb[0])} to key ${fmt(k)} after ${A} wrote ${fmt(wa[0])}` };
      }
      if (rel === RW) {
        const ra = extRead(a, k);
        if (!ra || !ki.next.get(ra[0])?.has(wb[0])) continue;
        return { key: k, value: wb[0], aMop: ra[1], bMop: wb[1], text: (A, B) => `${A} read ${show(ra[0])} of key ${fmt(k)}, which ${B} overwrote with ${fmt(wb[0])}` };
      }
    }
    return undefined;
  };

  return { edges, anomalies, explain };
}

/** The versions on a cycle of read-then-write pairs, or undefined when they form a partial order. */
function versionCycle(pairs: readonly [Version, Version][]): Version[] | undefined {
  const ids = new Map<Version, number>();
  const id = (v: Version): number => {
    let i = ids.get(v);
    if (i === undefined) ids.set(v, (i = ids.size));
    return i;
  };
  const el = new EdgeList();
  for (const [a, b] of pairs) el.add(id(a), id(b), WW);
  const sccs = stronglyConnected(toCsr(ids.size, el));
  if (sccs.length === 0) return undefined;
  const byId = [...ids.keys()];
  return [...sccs[0]].map((i) => byId[i]);
}
