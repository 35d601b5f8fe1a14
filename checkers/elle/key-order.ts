import type { Key, Txn } from './txns.ts';

/**
 * Elle's per-key assumptions for registers: with `sequential-keys` each key on its own is sequentially consistent,
 * so a process observes its versions in order; with `linearizable-keys` each key is linearizable, so a transaction
 * that completed before another began saw (or installed) an earlier version of every key both touched.
 */
export type Assumption = 'sequential-keys' | 'linearizable-keys';
export const ASSUMPTIONS: readonly Assumption[] = ['sequential-keys', 'linearizable-keys'];

/** The register before any write; reads of null observe it. */
export const INIT: unique symbol = Symbol('initial state');
export type Version = string | number | typeof INIT;

/** The versions of one key a transaction met first (its external read, else its final write) and last. */
interface Touch {
  first: Version;
  last: Version;
}

/**
 * What each transaction knows of each key it touches. An ok transaction's first version is the one it read before
 * writing (else its final write), its last the one it wrote last (else what it read). An info transaction's reads are
 * unknown, so only its final write counts; a failed one changed nothing.
 */
function touches(t: Txn): Map<Key, Touch> | undefined {
  if (t.outcome === 'fail') return undefined;
  const ok = t.outcome === 'ok';
  let out: Map<Key, Touch> | undefined;
  const read = new Map<Key, Version>();
  const written = new Map<Key, Version>();
  for (const [f, k, v] of t.mops) {
    if (f === 'w') written.set(k, v as Version);
    else if (ok && !read.has(k) && !written.has(k)) read.set(k, v === null ? INIT : (v as Version));
  }
  for (const k of new Set([...read.keys(), ...written.keys()])) {
    const r = read.get(k), w = written.get(k);
    const first = r ?? w, last = w ?? r;
    if (first === undefined || last === undefined) continue;
    (out ??= new Map()).set(k, { first, last });
  }
  return out;
}

type Pairs = Map<Key, [Version, Version][]>;

function push(pairs: Pairs, k: Key, a: Version, b: Version): void {
  if (a === b) return;
  const list = pairs.get(k);
  if (list) list.push([a, b]);
  else pairs.set(k, [[a, b]]);
}

/**
 * Version pairs (earlier, later) per key that the assumption implies. Process order: each transaction's first
 * version of a key follows the last version its process's earlier transactions met. Real-time order: per key, a
 * frontier of committed transactions (as in order-edges.ts, restricted to those touching the key) relates each
 * transaction only to its nearest predecessors, which keeps every implied order (transitively) in linear space.
 */
export function assumedVersionOrder(txns: readonly Txn[], assumption: Assumption): Pairs {
  const pairs: Pairs = new Map();
  const touched = txns.map(touches);
  if (assumption === 'sequential-keys') {
    const lastSeen = new Map<number, Map<Key, Version>>();
    for (let i = 0; i < txns.length; i++) {
      const ts = touched[i];
      if (!ts) continue;
      const p = txns[i].process;
      let seen = lastSeen.get(p);
      if (!seen) lastSeen.set(p, (seen = new Map()));
      for (const [k, { first, last }] of ts) {
        const before = seen.get(k);
        if (before !== undefined) push(pairs, k, before, first);
        seen.set(k, last);
      }
    }
    return pairs;
  }
  // Events in history order: 2·id for an invocation, 2·id+1 for an ok completion.
  const events: number[] = [];
  for (let i = 0; i < txns.length; i++) {
    if (!touched[i]) continue;
    events.push(2 * i);
    if (txns[i].outcome === 'ok') events.push(2 * i + 1);
  }
  const at = (ev: number): number => ((ev & 1) === 0 ? txns[ev >> 1].invokeIndex : txns[ev >> 1].completeIndex);
  events.sort((a, b) => at(a) - at(b));
  const frontier = new Map<Key, number[]>();
  for (const ev of events) {
    const id = ev >> 1;
    const t = txns[id];
    if ((ev & 1) === 0) {
      for (const [k, { first }] of touched[id]!) for (const f of frontier.get(k) ?? []) push(pairs, k, touched[f]!.get(k)!.last, first);
      continue;
    }
    for (const k of touched[id]!.keys()) {
      const kept = (frontier.get(k) ?? []).filter((f) => txns[f].completeIndex > t.invokeIndex);
      kept.push(id);
      frontier.set(k, kept);
    }
  }
  return pairs;
}
