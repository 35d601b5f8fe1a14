import { UNKNOWN } from '../../harness/core/model.ts';
import { ByteBudget, ConfigCache, FULL, PRESENT } from './cache.ts';
import { ILLEGAL, NOT_COMPUTED, StateTable, TransitionTable } from './memo.ts';
import { giveInts, takeInts } from './scratch.ts';
import { canonical, type LinearizableModel } from './model.ts';
import type { SearchOp } from './search-op.ts';

export interface SearchLimits {
  /** Epoch milliseconds after which the search gives up with 'timeout'. */
  deadline: number;
  maxCacheEntries: number;
  /** Bytes for the memo, shared by the searches of one thread when `budget` is given, else for this search alone. */
  maxCacheBytes: number;
  budget?: ByteBudget;
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

const STUCK_STATES_PER_OP = 8;
/** Entries unreachableRead looks through for the earliest-returning read. */
const GROWTH_LOOKAHEAD = 64;
/**
 * A search whose transitions over a window of this many steps were mostly new (at most half looked up again)
 * stops memoising them: its states hardly repeat (a kv value grown by appends in every order), so the table
 * only costs a probe and a store per step, and memory, for hits that do not come.
 */
const MEMO_WINDOW = 1 << 12;

const byPosition = (a: SearchOp, b: SearchOp): number => a.call - b.call;

/** A map one level down a trie of maps, made on first use. */
function below(m: Map<unknown, any>, key: unknown): Map<unknown, any> {
  let next = m.get(key);
  if (next === undefined) m.set(key, (next = new Map()));
  return next;
}

/**
 * Gives ops with equal (f, key, input value, output) one class id, written to `cls`, and returns the first op of
 * each class: the unit of step memoisation and of symmetry pruning. A trie of maps keyed by the parts themselves,
 * so nothing is concatenated or rehashed per op; objects and arrays are keyed by a token per canonical text,
 * which no primitive can equal. Absent and null are one value, as in canonical text.
 */
function classify(ops: readonly SearchOp[], cls: Int32Array): number[] {
  const root = new Map<unknown, any>();
  const tokens = new Map<string, object>();
  const part = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (v === null || typeof v !== 'object') return v;
    const text = canonical(v);
    let token = tokens.get(text);
    if (token === undefined) tokens.set(text, (token = {}));
    return token;
  };
  const unknownOutput = {};
  const classOp: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const byOutput = below(below(below(root, op.input.f), op.input.key ?? ''), part(op.input.value));
    const output = op.unknown ? unknownOutput : part(op.output);
    let c: number | undefined = byOutput.get(output);
    if (c === undefined) {
      c = classOp.length;
      byOutput.set(output, c);
      classOp.push(i);
    }
    cls[i] = c;
  }
  return classOp;
}

/**
 * Zobrist keys of the memo's incremental bitset hash, by op index: a fixed function of the index (murmur3's
 * finaliser), in one table shared by every search of the thread and grown on demand.
 */
let zobristTable = new Uint32Array(0);
function zobristKeys(n: number): Uint32Array {
  if (zobristTable.length >= n) return zobristTable;
  const table = new Uint32Array(Math.max(n, 2 * zobristTable.length, 1024));
  for (let i = 0; i < table.length; i++) {
    let h = Math.imul(i + 0x5eed, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    table[i] = (h ^ (h >>> 16)) >>> 0;
  }
  return (zobristTable = table);
}

/**
 * Ok ops 0..k-1 (in call order) by return, ties in call order, written to `out`. Returns come nearly in call
 * order (an op overtakes only the ops it overlaps), so an insertion sort does it in about k steps; a history
 * with more disorder than that falls back to a general sort.
 */
export function sortByReturn(ops: readonly SearchOp[], out: Int32Array): Int32Array {
  const k = out.length;
  let moves = 0;
  for (let i = 0; i < k; i++) {
    const ret = ops[i].ret;
    let j = i - 1;
    for (; j >= 0 && ops[out[j]].ret > ret; j--) out[j + 1] = out[j];
    out[j + 1] = i;
    moves += i - 1 - j;
    if (moves > 64 * k) {
      for (let x = i + 1; x < k; x++) out[x] = x;
      return out.sort((a, b) => ops[a].ret - ops[b].ret || a - b);
    }
  }
  return out;
}

/** Ids of ops 0..k-1 (each run sorted by call) merged into one list in call order, written to `out`. */
function mergeByCall(ops: readonly SearchOp[], k: number, out: Int32Array, n: number): Int32Array {
  for (let a = 0, b = k, o = 0; o < n; o++) out[o] = b >= n || (a < k && ops[a].call <= ops[b].call) ? a++ : b++;
  return out;
}

/**
 * Wing & Gong's search with Lowe's memo of (linearized set, state), as laid out by Horn & Kroening
 * (CHECKERS.md §2.2), with unknown-outcome ops encoded as Knossos does (§2.3): their returns sit after every
 * other entry, so reaching one means all ok ops are placed and the leftovers simply never happened.
 * Model states are interned to ids and each (state, distinct op) transition is computed once, so the hot loop
 * works on integers whatever the model.
 *
 * Three rules cut the configurations it enters without changing what it can find (each keeps a configuration
 * that has a completion reachable, see `enter` and the dominance check in `advance`): a read the state satisfies
 * is placed first and alone; with a model that knows which ops only grow the state (kv appends), a configuration
 * whose state has grown past what the next read returned is dropped at once; and a configuration whose ok ops and
 * state were already entered without any unknown-outcome op is not entered again with some. The candidates are
 * tried by return (an op of unknown outcome as if it returned at once), so ops go in about the order they took
 * effect.
 *
 * The search is resumable (`advance` runs a bounded number of steps), so one thread can interleave several
 * partitions as Porcupine's goroutines do, and an easy illegal partition is not stuck behind a hard valid one.
 */
export class WglSearch<S> {
  readonly ops: readonly SearchOp[];
  private readonly started = performance.now();
  private readonly totalOps: number;
  private readonly k: number;
  private readonly n: number;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly cls: Int32Array;
  private readonly classOp: number[];
  private readonly symPred: Int32Array;
  /** 1 for an ok op that never changes the state (a read): placed first whenever it can be, and alone. */
  private readonly eager: Int32Array;
  /** 1 for an op the model says only grows the state (model.grows); all 0 when the model cannot tell. */
  private readonly grows: Int32Array;
  private readonly growth: boolean;
  /** Order in which a configuration tries its candidates: ok ops by return, unknown ones by call (see the constructor). */
  private readonly rank: Int32Array;
  /**
   * The candidates of each configuration on the stack, in the order they are tried: frame d is
   * cand[frameHi[d - 1] .. frameHi[d]) (from 0 for d = 0), and cursor[d] the one that configuration is trying now.
   */
  private cand: Int32Array;
  private readonly frameHi: Int32Array;
  private readonly cursor: Int32Array;
  /** 1 when frame d holds a read the state satisfies, placed alone (see enter in advance). */
  private readonly forcedFrame: Int32Array;
  private readonly zobrist: Uint32Array;
  private readonly states: StateTable<S>;
  private readonly transitions: TransitionTable;
  private readonly cache: ConfigCache;
  private readonly bits: Int32Array;
  /** The ok ops among `bits`, and their part of the hash (see the dominance check in advance). */
  private readonly okBits: Int32Array;
  private okHash = 0;
  private readonly stackOp: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stuckStates: Int32Array;
  private readonly stuckCount: Int32Array;
  /** The buffer behind the per-op arrays, handed back when the search is done. */
  private readonly block: Int32Array;
  /** The deepest stack seen at a backtrack; only the part changed since (below `dirty`) is copied on a new record. */
  private readonly best: Int32Array;
  private bestLen = 0;
  private dirty = 0;
  private stuckAtLongest = -1;
  private maxDepth = 0;
  private depth = 0;
  private state = 0;
  private zhash = 0;
  private steps = 0;
  /** Transitions computed by the model (memo misses, or every lookup once the memo is off). */
  private computed = 0;
  private computedBeforeWindow = 0;
  private memo = true;
  /** Where the configuration at the top is in its candidates: its frame's next index. */
  private at = -1;
  private placedOk = 0;
  private done: SearchOutcome<S> | undefined;

  constructor(private readonly model: LinearizableModel<S>, all: readonly SearchOp[], private readonly limits: SearchLimits) {
    const okOps = all.filter((o) => !o.unknown).sort(byPosition);
    const optional = all.filter((o) => o.unknown && !(model.isReadOnly?.(o.input) ?? false)).sort(byPosition);
    const ops = (this.ops = okOps.concat(optional));
    const k = (this.k = okOps.length);
    const n = (this.n = ops.length);
    this.totalOps = all.length;
    const words = Math.max(1, Math.ceil(n / 32));

    // Every per-op integer array is a view of one recycled buffer (at least the views below): a small partition
    // is checked in microseconds, and allocating a dozen typed arrays would take longer than that.
    const block = (this.block = takeInts(2 ** Math.ceil(Math.log2(18 * n + 8 + k * (STUCK_STATES_PER_OP + 2))), 0));
    let used = 0;
    const view = (length: number): Int32Array => block.subarray(used, (used += length));

    // The doubly linked entry list: calls are 0..n-1, returns n..2n-1, the head sentinel 2n, END -1.
    const head = (this.head = 2 * n);
    const next = (this.next = view(2 * n + 1));
    const prev = (this.prev = view(2 * n + 1));
    // Entries in time order, calls before returns on a tie: a merge of the calls (ok ones and unknown ones, each
    // already in call order) with the ok returns, then the unknown ops' returns at the very end.
    const calls = mergeByCall(ops, k, view(n), n);
    const returns = sortByReturn(ops, view(k));
    let last = head;
    const link = (entry: number): void => {
      next[last] = entry;
      prev[entry] = last;
      last = entry;
    };
    for (let c = 0, r = 0; c < n || r < k; ) {
      if (r >= k || (c < n && ops[calls[c]].call <= ops[returns[r]].ret)) link(calls[c++]);
      else link(n + returns[r++]);
    }
    for (let i = k; i < n; i++) link(n + i);
    next[last] = -1;

    const cls = (this.cls = view(n));
    this.classOp = classify(ops, cls);

    // An op that is a twin of an earlier-called one that returns no later can wait until the twin is placed:
    // any linearization using it first can swap the two (same step everywhere) without breaking real time.
    // Twins are looked for among the 32 latest-called members of the class, newest first.
    const symPred = (this.symPred = view(n).fill(-1));
    if (limits.symmetry !== false) {
      const latest = view(n).fill(-1);
      const before = view(n);
      for (let i = 0; i < n; i++) {
        const ret = i < k ? ops[i].ret : Infinity;
        let best = -1;
        let bestRet = -Infinity;
        for (let a = latest[cls[i]], seen = 0; a >= 0 && seen < 32; a = before[a], seen++) {
          const retA = a < k ? ops[a].ret : Infinity;
          if (ops[a].call < ops[i].call && retA <= ret && retA > bestRet) {
            best = a;
            bestRet = retA;
          }
        }
        symPred[i] = best;
        before[i] = latest[cls[i]];
        latest[cls[i]] = i;
      }
    }

    const eager = (this.eager = view(n));
    for (let i = 0; i < k; i++) eager[i] = model.isReadOnly?.(ops[i].input) || model.observesOnly?.(ops[i].input, ops[i].output) ? 1 : 0;
    const grows = (this.grows = view(n));
    this.growth = model.canGrowInto !== undefined && model.grows !== undefined;
    if (this.growth) for (let i = 0; i < n; i++) grows[i] = eager[i] === 1 || model.grows!(ops[i].input) ? 1 : 0;
    // Ok ops rank by return (2j + 1 for the j-th return); an op of unknown outcome ranks just before the first
    // return after its call (2j), as if it took effect as soon as it was called.
    const rank = (this.rank = view(n));
    for (let j = 0; j < k; j++) rank[returns[j]] = 2 * j + 1;
    for (let x = next[head], seen = 0; x >= 0; x = next[x]) {
      if (x >= n) seen++;
      else if (x >= k) rank[x] = 2 * seen;
    }
    this.frameHi = view(n + 1);
    this.cursor = view(n + 1);
    this.forcedFrame = view(n + 1);
    this.cand = takeInts(2 ** Math.ceil(Math.log2(4 * n + 64)), 0);

    this.zobrist = zobristKeys(n);
    // Room for about one state per op, so a search whose writes or appends each make a new state skips the
    // first rounds of growth.
    this.states = new StateTable<S>(model, n);
    this.states.intern(model.init());
    // Sized for an easy search of n ops (a few configurations per op), to skip the first rounds of growth;
    // capped at 4M transitions (~100 MB), past which it starts over: it is a memo, not a record.
    this.transitions = new TransitionTable(Math.min(1 << 22, Math.max(1024, limits.maxCacheEntries)), Math.min(4 * n, 1 << 16));
    this.cache = new ConfigCache(words, Math.max(1, limits.maxCacheEntries), limits.budget ?? new ByteBudget(limits.maxCacheBytes), 4 * n);
    this.bits = new Int32Array(words);
    this.okBits = new Int32Array(words);
    this.stackOp = view(n + 1);
    this.stackState = view(n + 1);
    this.best = view(n + 1);
    this.stuckStates = view(k * STUCK_STATES_PER_OP);
    this.stuckCount = view(k);
  }

  private transition(state: number, c: number): number {
    const op = this.ops[this.classOp[c]];
    const from = this.states.states[state];
    const r = this.model.step(from, op.input, op.unknown ? UNKNOWN : op.output);
    // A read hands back the state it was given: no need to hash it again to find its id.
    const to = !r.ok ? ILLEGAL : r.next === from ? state : this.states.intern(r.next);
    this.computed++;
    if (this.memo) this.transitions.set(state, c, to);
    return to;
  }

  private stats(): SearchStats {
    return {
      ops: this.totalOps,
      searched: this.n,
      cacheEntries: this.cache.size,
      states: this.states.size,
      steps: this.steps,
      maxDepth: this.maxDepth,
      ms: performance.now() - this.started,
    };
  }

  private finish(out: SearchOutcome<S>): SearchOutcome<S> {
    this.done = out;
    // The outcome's stats and arrays were copied already: the memo's bytes go back to the thread's budget, and
    // its tables and buffers to the thread's pool.
    this.cache.release();
    this.transitions.release();
    this.states.release();
    giveInts(this.block);
    giveInts(this.cand);
    return out;
  }

  private longestPrefix(): number[] {
    return Array.from(this.best.subarray(0, this.bestLen));
  }

  private stopped(reason: StopReason): SearchOutcome<S> {
    const longestPrefix = this.bestLen >= this.depth ? this.longestPrefix() : Array.from(this.stackOp.subarray(0, this.depth));
    return this.finish({ valid: 'unknown', reason, longestPrefix, ops: this.ops, states: this.states.states, stats: this.stats() });
  }

  /** Runs until a verdict or about `budget` steps; undefined means "call again". */
  advance(budget = Infinity): SearchOutcome<S> | undefined {
    if (this.done) return this.done;
    // Another partition was found illegal (or the check aborted) while this one waited for its turn.
    const stop = this.limits.stop;
    if (stop && stop[0] !== 0) return this.stopped(stop[0] === 2 ? 'aborted' : 'stopped');
    const { n, k, head, next, prev, bits, zobrist, symPred, eager, cls, transitions, cache, stackOp, stackState, limits } = this;
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
    const { frameHi, cursor, forcedFrame, rank, growth } = this;
    const okBits = this.okBits;
    let { depth, state, zhash, okHash, steps, at, memo, placedOk, cand } = this;
    const until = steps + budget;
    const save = (): void => {
      this.depth = depth;
      this.state = state;
      this.zhash = zhash;
      this.okHash = okHash;
      this.steps = steps;
      this.at = at;
      this.placedOk = placedOk;
    };
    const success = (): SearchOutcome<S> => {
      save();
      return this.finish({ valid: true, witness: Array.from(stackOp.subarray(0, depth)), ops: this.ops, states: this.states.states, stats: this.stats() });
    };
    /**
     * Lays out the frame of the configuration just entered at `depth`: its candidates (the calls before the first
     * return in the list) by rank, the ok op that must be placed soonest first. Ok ops that take effect near their
     * return are placed in about the order they did, and an ok op pending across much of the history is tried
     * late, where trying it first at every step sent the search down one doomed subtree per step. An op of unknown
     * outcome goes where it was called: tried only after every ok op instead, a timed-out write that did take
     * effect was reached only once the ok ops had failed in every order, over each set of the other pending ops.
     * A read the state satisfies goes alone: whatever order completes the configuration can take it first (it is
     * a candidate, so nothing still to place must precede it, and it leaves the state as it is), so if placing it
     * fails, the configuration fails. A read the state does not satisfy cannot be placed here at all.
     */
    const enter = (): void => {
      const lo = depth === 0 ? 0 : frameHi[depth - 1];
      let hi = lo;
      forcedFrame[depth] = 0;
      if (lo >= cand.length) cand = this.growCandidates();
      at = lo;
      if (growth) {
        const dead = this.unreachableRead(state);
        if (dead >= 0) {
          this.noteStuck(dead, state, depth);
          forcedFrame[depth] = 1;
          frameHi[depth] = lo;
          return;
        }
      }
      for (let x = next[head]; x >= 0 && x < n; x = next[x]) {
        if (eager[x] === 1) {
          let to = memo ? transitions.get(state, cls[x]) : NOT_COMPUTED;
          if (to === NOT_COMPUTED) to = this.transition(state, cls[x]);
          if (to !== state) continue;
          cand[lo] = x;
          hi = lo + 1;
          forcedFrame[depth] = 1;
          break;
        }
        if (hi >= cand.length) cand = this.growCandidates();
        const r = rank[x];
        let j = hi++;
        for (; j > lo && rank[cand[j - 1]] > r; j--) cand[j] = cand[j - 1];
        cand[j] = x;
      }
      frameHi[depth] = hi;
    };
    if (at < 0) enter();
    for (;;) {
      if (placedOk === k) return success();
      if (at >= frameHi[depth]) {
        // The candidates are spent: the list's first return is the op no order from here could place in time.
        // A frame of one read ends here too.
        if (forcedFrame[depth] === 0) {
          let e = next[head];
          while (e < n) e = next[e];
          this.noteStuck(e - n, state, depth);
        }
        if (depth === 0) {
          save();
          const at0 = this.stuckAtLongest * STUCK_STATES_PER_OP;
          return this.finish({
            valid: false,
            longestPrefix: this.longestPrefix(),
            stuck: this.stuckAtLongest,
            stuckStates: Array.from(this.stuckStates.subarray(at0, at0 + this.stuckCount[this.stuckAtLongest])),
            ops: this.ops,
            states: this.states.states,
            stats: this.stats(),
          });
        }
        depth--;
        if (depth < this.dirty) this.dirty = depth;
        const op = stackOp[depth];
        state = stackState[depth];
        bits[op >>> 5] &= ~(1 << (op & 31));
        zhash ^= zobrist[op];
        unlift(op);
        if (op < k) {
          placedOk--;
          okBits[op >>> 5] &= ~(1 << (op & 31));
          okHash ^= zobrist[op];
        }
        at = cursor[depth] + 1;
        continue;
      }
      const x = cand[at];
      if ((++steps & 1023) === 0 || steps >= until) {
        save();
        if ((steps & 1023) === 0) {
          if (Date.now() > limits.deadline) return this.stopped('timeout');
          if (limits.stop && limits.stop[0] !== 0) return this.stopped(limits.stop[0] === 2 ? 'aborted' : 'stopped');
          if (limits.signal?.aborted) return this.stopped('aborted');
          if (memo && (steps & (MEMO_WINDOW - 1)) === 0) {
            if ((this.computed - this.computedBeforeWindow) * 2 > MEMO_WINDOW) memo = this.memo = false;
            this.computedBeforeWindow = this.computed;
          }
        }
        if (steps >= until) return undefined;
      }
      const twin = symPred[x];
      let to = state;
      if (forcedFrame[depth] === 0) {
        if (twin >= 0 && (bits[twin >>> 5] & (1 << (twin & 31))) === 0) {
          at++;
          continue;
        }
        const c = cls[x];
        to = memo ? transitions.get(state, c) : NOT_COMPUTED;
        if (to === NOT_COMPUTED) to = this.transition(state, c);
        if (to === ILLEGAL) {
          at++;
          continue;
        }
      }
      const word = x >>> 5;
      const mask = 1 << (x & 31);
      const ok = x < k;
      if (ok) okBits[word] |= mask;
      const okh = ok ? okHash ^ zobrist[x] : okHash;
      // Ops of unknown outcome placed so far only take options away: the same ok ops and state without them
      // could do all this configuration can (leaving them out), so if that one was entered, this adds nothing.
      if (depth + 1 > placedOk + (ok ? 1 : 0) && cache.has((okh ^ Math.imul(to + 1, 0x9e3779b1)) >>> 0, to, okBits)) {
        if (ok) okBits[word] &= ~mask;
        at++;
        continue;
      }
      bits[word] |= mask;
      const nh = zhash ^ zobrist[x];
      const r = cache.insert((nh ^ Math.imul(to + 1, 0x9e3779b1)) >>> 0, to, bits);
      if (r === PRESENT) {
        bits[word] &= ~mask;
        if (ok) okBits[word] &= ~mask;
        at++;
        continue;
      }
      if (r === FULL) {
        bits[word] &= ~mask;
        if (ok) okBits[word] &= ~mask;
        save();
        return this.stopped('memory');
      }
      cursor[depth] = at;
      stackOp[depth] = x;
      stackState[depth] = state;
      depth++;
      if (depth > this.maxDepth) this.maxDepth = depth;
      if (ok) placedOk++;
      state = to;
      zhash = nh;
      okHash = okh;
      lift(x);
      enter();
    }
  }

  /** Records that no order from the configuration of depth `depth` and `state` can place op `stuck` in time. */
  private noteStuck(stuck: number, state: number, depth: number): void {
    const at = stuck * STUCK_STATES_PER_OP;
    const have = this.stuckCount[stuck];
    if (have < STUCK_STATES_PER_OP) {
      let seen = false;
      for (let j = 0; j < have; j++) if (this.stuckStates[at + j] === state) seen = true;
      if (!seen) this.stuckStates[at + this.stuckCount[stuck]++] = state;
    }
    if (depth > this.bestLen || this.stuckAtLongest < 0) {
      const from = Math.min(this.dirty, this.bestLen);
      this.best.set(this.stackOp.subarray(from, depth), from);
      this.bestLen = depth;
      this.dirty = depth;
      this.stuckAtLongest = stuck;
    }
  }

  /**
   * The earliest-returning read still to place, when every op that could be placed before it only grows the state
   * (model.grows) and the state can no longer grow into what it returned; else -1. Looks at most GROWTH_LOOKAHEAD
   * entries ahead.
   */
  private unreachableRead(state: number): number {
    const { next, n, k, eager, grows, ops } = this;
    let seen = 0;
    for (let x = next[this.head]; x >= 0 && seen < GROWTH_LOOKAHEAD; x = next[x], seen++) {
      if (x < n) {
        if (grows[x] === 0) return -1;
        continue;
      }
      const r = x - n;
      if (r >= k || eager[r] === 0) continue;
      return this.model.canGrowInto!(this.states.states[state], ops[r].input, ops[r].output) ? -1 : r;
    }
    return -1;
  }

  /** Doubles the candidate stack (the frames of a deep search with many ops pending at once). */
  private growCandidates(): Int32Array {
    const old = this.cand;
    const cand = takeInts(old.length * 2, 0);
    cand.set(old);
    giveInts(old);
    return (this.cand = cand);
  }
}

/** Searches one partition to the end (or to a limit). */
export function searchPartition<S>(model: LinearizableModel<S>, ops: readonly SearchOp[], limits: SearchLimits): SearchOutcome<S> {
  return new WglSearch(model, ops, limits).advance()!;
}
