import type { Op } from '../../../harness/core/op.ts';
import { seededRandom } from '../../../harness/core/random.ts';

/**
 * A simulated list-append database, for property tests and the benchmark. Processes start and finish transactions
 * in a random interleaving; each event gets a later timestamp than the previous one, so real time is consistent.
 * - serializable: a transaction takes effect atomically at its completion, so the history is strict-serializable.
 * - snapshot-isolation: reads come from the snapshot taken at invocation; at completion, first-committer-wins
 *   aborts a transaction if another committed an append to a key it appends to after its snapshot.
 * Aborts are recorded as `fail`; an `info` outcome took effect or not at random, and retires the process id.
 */
export interface SimOptions {
  seed: number;
  txns: number;
  processes: number;
  isolation: 'serializable' | 'snapshot-isolation';
  /** rw-register writes unique values and reads the last one; list-append (default) appends and reads the list. */
  workload?: 'list-append' | 'rw-register';
  /** Keys in play at once; the first ones are picked far more often (Zipf-ish). */
  activeKeys?: number;
  /** Appends a key takes before it is retired and replaced by a fresh one (Elle's key rotation). */
  writesPerKey?: number;
  maxMops?: number;
  failRate?: number;
  infoRate?: number;
}

type Mop = ['append' | 'w' | 'r', number, unknown];

interface Version {
  ts: number;
  list: number[];
}

export interface Simulated {
  ops: Op[];
  /** Each key's committed list at the end (info transactions that took effect included). */
  final: Map<number, number[]>;
}

export function simulate(o: SimOptions): Simulated {
  const rnd = seededRandom(o.seed);
  const activeKeys = o.activeKeys ?? 8;
  const writesPerKey = o.writesPerKey ?? 32;
  const maxMops = o.maxMops ?? 4;
  const failRate = o.failRate ?? 0;
  const infoRate = o.infoRate ?? 0;
  const si = o.isolation === 'snapshot-isolation';
  const register = o.workload === 'rw-register';
  const writeF = register ? 'w' : 'append';

  const versions = new Map<number, Version[]>();
  const latest = (k: number): Version => {
    const vs = versions.get(k);
    return vs ? vs[vs.length - 1] : { ts: 0, list: [] };
  };
  const asOf = (k: number, ts: number): number[] => {
    const vs = versions.get(k);
    if (!vs) return [];
    for (let i = vs.length - 1; i >= 0; i--) if (vs[i].ts <= ts) return vs[i].list;
    return [];
  };
  let clock = 0;

  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  const appendsTo = new Map<number, number>();
  let nextKey = activeKeys;
  let nextElem = 1;
  const pickKey = (append: boolean): number => {
    const slot = Math.floor(rnd() * rnd() * activeKeys);
    if (append) {
      const n = (appendsTo.get(keys[slot]) ?? 0) + 1;
      if (n > writesPerKey) {
        keys[slot] = nextKey++;
        appendsTo.set(keys[slot], 1);
      } else appendsTo.set(keys[slot], n);
    }
    return keys[slot];
  };
  const plan = (): Mop[] => {
    const n = 1 + Math.floor(rnd() * maxMops);
    const mops: Mop[] = [];
    for (let i = 0; i < n; i++) {
      const append = rnd() < 0.5;
      mops.push(append ? [writeF, pickKey(true), nextElem++] : ['r', pickKey(false), null]);
    }
    return mops;
  };

  interface Slot { process: number; txn?: { mops: Mop[]; snapshot: number } }
  const slots: Slot[] = Array.from({ length: o.processes }, (_, i) => ({ process: i }));
  let nextProcess = o.processes;
  const ops: Op[] = [];
  let time = 0;
  let started = 0, done = 0;

  const execute = (mops: Mop[], snapshot: number): { result: Mop[]; writes: Map<number, number[]> } => {
    const writes = new Map<number, number[]>();
    const result = mops.map(([f, k, v]): Mop => {
      const base = si ? asOf(k, snapshot) : latest(k).list;
      const own = writes.get(k);
      if (f !== 'r') {
        if (own) own.push(v as number);
        else writes.set(k, [v as number]);
        return [f, k, v];
      }
      // A register holds the last value written: the tail of the same append log.
      if (register) return ['r', k, own ? own[own.length - 1] : base.length > 0 ? base[base.length - 1] : null];
      return ['r', k, own ? [...base, ...own] : base.slice()];
    });
    return { result, writes };
  };

  while (done < o.txns) {
    const slot = slots[Math.floor(rnd() * slots.length)];
    if (!slot.txn && started >= o.txns) continue;
    time += 1 + Math.floor(rnd() * 100_000);
    if (!slot.txn) {
      const mops = plan();
      slot.txn = { mops, snapshot: clock };
      ops.push({ type: 'invoke', process: slot.process, f: 'txn', value: mops, time });
      started++;
      continue;
    }
    const { mops, snapshot } = slot.txn;
    const { result, writes } = execute(mops, snapshot);
    const r = rnd();
    let type: 'ok' | 'fail' | 'info' = r < failRate ? 'fail' : r < failRate + infoRate ? 'info' : 'ok';
    if (si && type !== 'fail') for (const k of writes.keys()) if (latest(k).ts > snapshot) type = 'fail';
    const applies = type === 'ok' || (type === 'info' && rnd() < 0.5);
    if (applies && writes.size > 0) {
      clock++;
      for (const [k, own] of writes) {
        const vs = versions.get(k);
        const v = { ts: clock, list: [...latest(k).list, ...own] };
        if (vs) vs.push(v);
        else versions.set(k, [v]);
      }
    }
    ops.push({ type, process: slot.process, f: 'txn', value: type === 'ok' ? result : mops, time });
    done++;
    slot.txn = undefined;
    if (type === 'info') slot.process = nextProcess++;
  }
  return { ops, final: new Map([...versions].map(([k, vs]) => [k, vs[vs.length - 1].list])) };
}
