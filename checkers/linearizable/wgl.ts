import { UNKNOWN } from '../../harness/core/model.ts';
import { seededRandom } from '../../harness/core/random.ts';
import { ConfigCache, FULL, PRESENT } from './cache.ts';
import { canonical, type LinearizableModel } from './model.ts';
import type { SearchOp } from './search-op.ts';

export interface SearchLimits {
  /** Epoch milliseconds after which the search gives up with 'timeout'. */
  deadline: number;
  maxCacheEntries: number;
  maxCacheBytes: number;
  /** Shared flag another thread sets (non-zero) to stop this search: 1 another partition is illegal, 2 aborted. */
  stop?: Int32Array;
  signal?: AbortSignal;
  /** Off only to test that the pruning never changes a verdict. */
  symmetry?: boolean;
}

export type StopReason = 'timeout' | 'memory' | 'stopped' | 'aborted';

export interface SearchStats {
  ops: number;
  /** Ops the search placed or skipped: ok ops plus unknown-outcome ops that can change state. */
  searched: number;
  cacheEntries: number;
  states: number;
  steps: number;
  maxDepth: number;
  ms: number;
}

/** Ops are referred to by their index in `ops` (ok ops by call order, then unknown ones by call order). */
export type SearchOutcome<S> = { ops: readonly SearchOp[]; states: readonly S[]; stats: SearchStats } & (
  | { valid: true; witness: number[] }
  | { valid: false; longestPrefix: number[]; stuck: number; stuckStates: number[] }
  | { valid: 'unknown'; reason: StopReason; longestPrefix: number[] }
);

const NOT_COMPUTED = -2;
const ILLEGAL = -1;
const STUCK_STATES_PER_OP = 8;

const byPosition = (a: SearchOp, b: SearchOp): number => a.call - b.call;

/**
 * Wing & Gong's search with Lowe's memo of (linearized set, state), as laid out by Horn & Kroening
 * (CHECKERS.md §2.2), with unknown-outcome ops encoded as Knossos does (§2.3): their returns sit after every
 * other entry, so reaching one means all ok ops are placed and the leftovers simply never happened.
 * Model states are interned to ids and each (state, distinct op) transition is computed once, so the hot loop
 * works on integers whatever the model.
 */
export function searchPartition<S>(model: LinearizableModel<S>, all: readonly SearchOp[], limits: SearchLimits): SearchOutcome<S> {
  const started = performance.now();
  const okOps = all.filter((o) => !o.unknown).sort(byPosition);
  const optional = all.filter((o) => o.unknown && !(model.isReadOnly?.(o.input) ?? false)).sort(byPosition);
  const ops = [...okOps, ...optional];
  const k = okOps.length;
  const n = ops.length;
  const words = Math.max(1, Math.ceil(n / 32));

  // The doubly linked entry list: calls are 0..n-1, returns n..2n-1, the head sentinel 2n, END -1.
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const order: { pos: number; entry: number; isCall: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    order.push({ pos: ops[i].call, entry: i, isCall: true });
    if (i < k) order.push({ pos: ops[i].ret, entry: n + i, isCall: false });
  }
  order.sort((a, b) => a.pos - b.pos || (a.isCall === b.isCall ? a.entry - b.entry : a.isCall ? -1 : 1));
  for (let i = k; i < n; i++) order.push({ pos: Infinity, entry: n + i, isCall: false });
  let last = head;
  for (const { entry } of order) {
    next[last] = entry;
    prev[entry] = last;
    last = entry;
  }
  next[last] = -1;

  // Distinct (input, output) pairs: the unit of step memoisation and of symmetry pruning.
  const classOf = new Map<string, number>();
  const cls = new Int32Array(n);
  const classOp: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = canonical(ops[i].input) + '\u0001' + (ops[i].unknown ? '?' : canonical(ops[i].output));
    let c = classOf.get(key);
    if (c === undefined) {
      c = classOp.length;
      classOf.set(key, c);
      classOp.push(i);
    }
    cls[i] = c;
  }
  const nClasses = classOp.length;

  // An op that is a twin of an earlier-called one that returns no later can wait until the twin is placed:
  // any linearization using it first can swap the two (same step everywhere) without breaking real time.
  const symPred = new Int32Array(n).fill(-1);
  if (limits.symmetry !== false) {
    const lastOfClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const members = lastOfClass.get(cls[i]) ?? [];
      const ret = i < k ? ops[i].ret : Infinity;
      let best = -1;
      let bestRet = -Infinity;
      for (let j = members.length - 1; j >= 0 && j >= members.length - 32; j--) {
        const a = members[j];
        const retA = a < k ? ops[a].ret : Infinity;
        if (ops[a].call < ops[i].call && retA <= ret && retA > bestRet) {
          best = a;
          bestRet = retA;
        }
      }
      symPred[i] = best;
      members.push(i);
      lastOfClass.set(cls[i], members);
    }
  }

  const zobrist = new Uint32Array(n);
  const rnd = seededRandom(0x5eed + n);
  for (let i = 0; i < n; i++) zobrist[i] = (rnd() * 4294967296) >>> 0;

  const states: S[] = [model.init()];
  const stateIds = new Map<number, number[]>([[model.hash(states[0]) | 0, [0]]]);
  const rows: (Int32Array | undefined)[] = [];
  const intern = (s: S): number => {
    const h = model.hash(s) | 0;
    const bucket = stateIds.get(h);
    if (bucket) {
      for (const id of bucket) if (model.equal(states[id], s)) return id;
      bucket.push(states.length);
    } else stateIds.set(h, [states.length]);
    states.push(s);
    return states.length - 1;
  };
  const transition = (state: number, c: number): number => {
    const op = ops[classOp[c]];
    const r = model.step(states[state], op.input, op.unknown ? UNKNOWN : op.output);
    const to = r.ok ? intern(r.next) : ILLEGAL;
    let row = rows[state];
    if (!row) rows[state] = row = new Int32Array(nClasses).fill(NOT_COMPUTED);
    row[c] = to;
    return to;
  };

  const entryBudget = Math.max(1, Math.min(limits.maxCacheEntries, Math.floor(limits.maxCacheBytes / ConfigCache.bytesPerEntry(words))));
  const cache = new ConfigCache(words, entryBudget);
  const bits = new Uint32Array(words);
  const stackOp = new Int32Array(n + 1);
  const stackState = new Int32Array(n + 1);
  const stuckStates = new Int32Array(k * STUCK_STATES_PER_OP);
  const stuckCount = new Uint8Array(k);
  let longestPrefix: number[] = [];
  let stuckAtLongest = -1;
  let maxDepth = 0;

  const lift = (i: number): void => {
    next[prev[i]] = next[i];
    if (next[i] >= 0) prev[next[i]] = prev[i];
    const r = n + i;
    next[prev[r]] = next[r];
    if (next[r] >= 0) prev[next[r]] = prev[r];
  };
  const unlift = (i: number): void => {
    const r = n + i;
    if (next[r] >= 0) prev[next[r]] = r;
    next[prev[r]] = r;
    if (next[i] >= 0) prev[next[i]] = i;
    next[prev[i]] = i;
  };

  let depth = 0;
  let state = 0;
  let zhash = 0;
  let steps = 0;
  const finish = (): SearchStats => ({
    ops: all.length,
    searched: n,
    cacheEntries: cache.size,
    states: states.length,
    steps,
    maxDepth,
    ms: performance.now() - started,
  });
  const stopped = (reason: StopReason): SearchOutcome<S> => ({
    valid: 'unknown',
    reason,
    longestPrefix: longestPrefix.length >= depth ? longestPrefix : Array.from(stackOp.subarray(0, depth)),
    ops,
    states,
    stats: finish(),
  });
  const success = (): SearchOutcome<S> => ({ valid: true, witness: Array.from(stackOp.subarray(0, depth)), ops, states, stats: finish() });

  let e = next[head];
  for (;;) {
    if (e < 0) return success();
    if (e >= n) {
      const stuck = e - n;
      if (stuck >= k) return success();
      const at = stuck * STUCK_STATES_PER_OP;
      const have = stuckCount[stuck];
      if (have < STUCK_STATES_PER_OP) {
        let seen = false;
        for (let j = 0; j < have; j++) if (stuckStates[at + j] === state) seen = true;
        if (!seen) stuckStates[at + stuckCount[stuck]++] = state;
      }
      if (depth > longestPrefix.length || stuckAtLongest < 0) {
        longestPrefix = Array.from(stackOp.subarray(0, depth));
        stuckAtLongest = stuck;
      }
      if (depth === 0) {
        const at0 = stuckAtLongest * STUCK_STATES_PER_OP;
        return {
          valid: false,
          longestPrefix,
          stuck: stuckAtLongest,
          stuckStates: Array.from(stuckStates.subarray(at0, at0 + stuckCount[stuckAtLongest])),
          ops,
          states,
          stats: finish(),
        };
      }
      depth--;
      const op = stackOp[depth];
      state = stackState[depth];
      bits[op >>> 5] &= ~(1 << (op & 31));
      zhash ^= zobrist[op];
      unlift(op);
      e = next[op];
      continue;
    }
    if ((++steps & 1023) === 0) {
      if (Date.now() > limits.deadline) return stopped('timeout');
      if (limits.stop && limits.stop[0] !== 0) return stopped(limits.stop[0] === 2 ? 'aborted' : 'stopped');
      if (limits.signal?.aborted) return stopped('aborted');
    }
    const twin = symPred[e];
    if (twin >= 0 && (bits[twin >>> 5] & (1 << (twin & 31))) === 0) {
      e = next[e];
      continue;
    }
    const c = cls[e];
    const row = rows[state];
    let to = row === undefined ? NOT_COMPUTED : row[c];
    if (to === NOT_COMPUTED) to = transition(state, c);
    if (to === ILLEGAL) {
      e = next[e];
      continue;
    }
    const word = e >>> 5;
    const mask = 1 << (e & 31);
    bits[word] |= mask;
    const nh = zhash ^ zobrist[e];
    const r = cache.insert((nh ^ Math.imul(to + 1, 0x9e3779b1)) >>> 0, to, bits);
    if (r === PRESENT) {
      bits[word] &= ~mask;
      e = next[e];
      continue;
    }
    if (r === FULL) {
      bits[word] &= ~mask;
      return stopped('memory');
    }
    stackOp[depth] = e;
    stackState[depth] = state;
    depth++;
    if (depth > maxDepth) maxDepth = depth;
    state = to;
    zhash = nh;
    lift(e);
    e = next[head];
  }
}
