/**
 * The two memo tables behind the search's integer hot loop (Knossos's memoised model, built lazily):
 * model states interned to dense ids, and (state id, op class) → next state id. Both are open-addressing
 * tables over typed arrays, so a lookup allocates nothing and nothing per state is allocated at all.
 */
import { giveInts, takeInts } from './scratch.ts';

export const NOT_COMPUTED = -2;
export const ILLEGAL = -1;

const mix = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;

/** What interning needs of a model. */
export interface StateEquality<S> {
  hash(s: S): number;
  equal(a: S, b: S): boolean;
}

/**
 * Interns states by the model's hash and equality; ids are dense from 0 (the initial state).
 * A slot is [hash, id + 1] side by side, so a probe reads one cache line and looks at a state only when the
 * hash matches.
 */
export class StateTable<S> {
  readonly states: S[] = [];
  private slots: Int32Array;
  private mask: number;

  /**
   * Takes the model itself, not bound methods: a fresh bound function per search would make each call site
   * megamorphic. `expected` states fit without growing.
   */
  constructor(private readonly model: StateEquality<S>, expected = 32) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(64, 2 * expected)));
    this.slots = takeInts(2 * size, 0);
    this.mask = size - 1;
  }

  get size(): number {
    return this.states.length;
  }

  intern(s: S): number {
    const h = this.model.hash(s) | 0;
    const slots = this.slots;
    let i = mix(h, 0) & this.mask;
    for (;;) {
      const slot = slots[2 * i + 1];
      if (slot === 0) break;
      if (slots[2 * i] === h && this.model.equal(this.states[slot - 1], s)) return slot - 1;
      i = (i + 1) & this.mask;
    }
    const id = this.states.length;
    this.states.push(s);
    slots[2 * i] = h;
    slots[2 * i + 1] = id + 1;
    if (this.states.length * 2 > this.mask + 1) this.grow();
    return id;
  }

  /** Hands the table back for reuse; interning afterwards is an error. The states stay readable. */
  release(): void {
    giveInts(this.slots);
    this.slots = new Int32Array(0);
  }

  private grow(): void {
    const old = this.slots;
    const slots = takeInts(old.length * 2, 0);
    const mask = (this.mask = slots.length / 2 - 1);
    for (let at = 0; at < old.length; at += 2) {
      if (old[at + 1] === 0) continue;
      let i = mix(old[at], 0) & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = old[at];
      slots[2 * i + 1] = old[at + 1];
    }
    giveInts(old);
    this.slots = slots;
  }
}

/**
 * (state id, class id) → next state id or ILLEGAL; forgets everything when full, which only costs recomputation.
 * A slot is [state, class, next] side by side, so a probe reads one cache line.
 */
export class TransitionTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(private readonly maxEntries: number, expected = 512) {
    this.slots = TransitionTable.empty(Math.max(64, 2 ** Math.ceil(Math.log2(expected * 2))));
    this.mask = this.slots.length / 3 - 1;
  }

  private static empty(size: number): Int32Array {
    return takeInts(size * 3, -1);
  }

  /** Hands the table back for reuse; the table must not be used afterwards. */
  release(): void {
    giveInts(this.slots);
    this.slots = new Int32Array(0);
  }

  get(state: number, c: number): number {
    const slots = this.slots;
    let i = mix(state, c) & this.mask;
    for (;;) {
      const at = i * 3;
      const s = slots[at];
      if (s === -1) return NOT_COMPUTED;
      if (s === state && slots[at + 1] === c) return slots[at + 2];
      i = (i + 1) & this.mask;
    }
  }

  set(state: number, c: number, to: number): void {
    if (this.count >= this.maxEntries) this.resize(this.mask + 1);
    else if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    this.put(state, c, to);
  }

  private put(state: number, c: number, to: number): void {
    const slots = this.slots;
    let i = mix(state, c) & this.mask;
    while (slots[i * 3] !== -1) i = (i + 1) & this.mask;
    const at = i * 3;
    slots[at] = state;
    slots[at + 1] = c;
    slots[at + 2] = to;
    this.count++;
  }

  /** A fresh table of `size` slots, keeping the entries only when growing (a full table starts over). */
  private resize(size: number): void {
    const old = this.slots;
    const keep = size > this.mask + 1;
    this.slots = TransitionTable.empty(size);
    this.mask = size - 1;
    this.count = 0;
    if (keep) for (let at = 0; at < old.length; at += 3) if (old[at] !== -1) this.put(old[at], old[at + 1], old[at + 2]);
    giveInts(old);
  }
}
