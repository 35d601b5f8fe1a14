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

/** (state id, class id) → next state id or ILLEGAL; forgets everything when full, which only costs recomputation. */
export class TransitionTable {
  private keyState: Int32Array;
  private keyClass: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(private readonly maxEntries: number, expected = 512) {
    const size = Math.max(1024, 2 ** Math.ceil(Math.log2(expected * 2)));
    this.keyState = new Int32Array(size).fill(-1);
    this.keyClass = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get(state: number, c: number): number {
    const ks = this.keyState;
    let i = mix(state, c) & this.mask;
    for (;;) {
      const s = ks[i];
      if (s === -1) return NOT_COMPUTED;
      if (s === state && this.keyClass[i] === c) return this.values[i];
      i = (i + 1) & this.mask;
    }
  }

  set(state: number, c: number, to: number): void {
    if (this.count >= this.maxEntries) this.reset(this.keyState.length);
    else if ((this.count + 1) * 2 > this.keyState.length) this.grow();
    let i = mix(state, c) & this.mask;
    while (this.keyState[i] !== -1) i = (i + 1) & this.mask;
    this.keyState[i] = state;
    this.keyClass[i] = c;
    this.values[i] = to;
    this.count++;
  }

  private reset(size: number): void {
    this.keyState = new Int32Array(size).fill(-1);
    this.keyClass = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
  }

  private grow(): void {
    const { keyState, keyClass, values } = this;
    this.reset(keyState.length * 2);
    for (let i = 0; i < keyState.length; i++) {
      if (keyState[i] === -1) continue;
      let j = mix(keyState[i], keyClass[i]) & this.mask;
      while (this.keyState[j] !== -1) j = (j + 1) & this.mask;
      this.keyState[j] = keyState[i];
      this.keyClass[j] = keyClass[i];
      this.values[j] = values[i];
      this.count++;
    }
  }
}
