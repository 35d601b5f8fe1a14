/**
 * The two memo tables behind the search's integer hot loop (Knossos's memoised model, built lazily):
 * model states interned to dense ids, and (state id, op class) → next state id. Both are open-addressing
 * tables over typed arrays, so a lookup allocates nothing and nothing per state is allocated at all.
 */
export const NOT_COMPUTED = -2;
export const ILLEGAL = -1;

const mix = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;

/** Interns states by the model's hash and equality; ids are dense from 0 (the initial state). */
export class StateTable<S> {
  readonly states: S[] = [];
  private hashes = new Int32Array(64);
  private slots = new Int32Array(128);

  constructor(private readonly hash: (s: S) => number, private readonly equal: (a: S, b: S) => boolean) {}

  get size(): number {
    return this.states.length;
  }

  intern(s: S): number {
    const h = this.hash(s) | 0;
    let mask = this.slots.length - 1;
    let i = mix(h, 0) & mask;
    for (;;) {
      const slot = this.slots[i];
      if (slot === 0) break;
      const id = slot - 1;
      if (this.hashes[id] === h && this.equal(this.states[id], s)) return id;
      i = (i + 1) & mask;
    }
    const id = this.states.length;
    this.states.push(s);
    if (id === this.hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    this.slots[i] = id + 1;
    if (this.states.length * 2 > this.slots.length) {
      const slots = new Int32Array(this.slots.length * 2);
      mask = slots.length - 1;
      for (let j = 0; j < this.states.length; j++) {
        let k = mix(this.hashes[j], 0) & mask;
        while (slots[k] !== 0) k = (k + 1) & mask;
        slots[k] = j + 1;
      }
      this.slots = slots;
    }
    return id;
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
    return new Int32Array(size * 3).fill(-1);
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
  }
}
