/**
 * The WGL memo: a set of (linearized-ops bitset, model state id) configurations already explored.
 * Open addressing over typed arrays, so a lookup allocates nothing and the memory per entry is known
 * (the bitset words, a state id and a hash), which is what lets the memory budget be exact.
 */
export const PRESENT = 0;
export const INSERTED = 1;
export const FULL = 2;
const PAGE_BITS = 8;
const PAGE = 1 << PAGE_BITS;
export type InsertResult = typeof PRESENT | typeof INSERTED | typeof FULL;

/** Bytes the memos of one thread may hold together; searches draw from it as they grow and give back when done. */
export class ByteBudget {
  constructor(public remaining: number) {}
}

export class ConfigCache {
  private slots: Int32Array;
  private mask: number;
  private hashes: Uint32Array;
  private states: Int32Array;
  /** Bitsets in fixed pages of PAGE entries, so growing never copies them. */
  private pages: Uint32Array[] = [];
  private count = 0;

  private readonly entryBytes: number;

  constructor(private readonly words: number, private readonly maxEntries: number, private readonly budget: ByteBudget, expected = 1024) {
    this.entryBytes = ConfigCache.bytesPerEntry(words);
    const initial = Math.min(2 ** Math.ceil(Math.log2(Math.max(16, expected))), 1 << 16, Math.max(16, maxEntries));
    this.slots = new Int32Array(initial * 2);
    this.mask = this.slots.length - 1;
    this.hashes = new Uint32Array(initial);
    this.states = new Int32Array(initial);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes an entry costs, table slots included: what the caller divides a byte budget by. */
  static bytesPerEntry(words: number): number {
    return words * 4 + 4 + 4 + 2 * 4 * 2;
  }

  /** Adds the configuration unless it is already there; FULL when the entry budget is spent. */
  insert(hash: number, state: number, current: Uint32Array): InsertResult {
    const words = this.words;
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const slot = slots[i];
      if (slot === 0) break;
      const e = slot - 1;
      if (this.hashes[e] === hash && this.states[e] === state) {
        const page = this.pages[e >>> PAGE_BITS];
        const base = (e & (PAGE - 1)) * words;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (page[base + w] !== current[w]) {
            same = false;
            break;
          }
        }
        if (same) return PRESENT;
      }
      i = (i + 1) & mask;
    }
    if (this.count >= this.maxEntries || this.budget.remaining < this.entryBytes) return FULL;
    this.budget.remaining -= this.entryBytes;
    if (this.count === this.hashes.length) {
      this.growEntries();
    }
    const e = this.count++;
    this.hashes[e] = hash;
    this.states[e] = state;
    if ((e & (PAGE - 1)) === 0) this.pages.push(new Uint32Array(PAGE * words));
    this.pages[e >>> PAGE_BITS].set(current, (e & (PAGE - 1)) * words);
    slots[i] = e + 1;
    if (this.count * 2 > slots.length) this.rehash();
    return INSERTED;
  }

  /** Gives this memo's bytes back to the budget; the cache must not be used afterwards. */
  release(): void {
    this.budget.remaining += this.count * this.entryBytes;
    this.count = 0;
    this.hashes = new Uint32Array(0);
    this.states = new Int32Array(0);
    this.pages = [];
    this.slots = new Int32Array(1);
    this.mask = 0;
  }

  private growEntries(): void {
    const n = Math.min(this.hashes.length * 2, this.maxEntries);
    const hashes = new Uint32Array(n);
    hashes.set(this.hashes);
    const states = new Int32Array(n);
    states.set(this.states);
    this.hashes = hashes;
    this.states = states;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let i = this.hashes[e] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
