/**
 * The WGL memo: a set of (linearized-ops bitset, model state id) configurations already explored.
 * Open addressing over typed arrays, so a lookup allocates nothing and the memory per entry is known
 * (the bitset words, a state id and a hash), which is what lets the memory budget be exact.
 */
import { giveInts, takeInts } from './scratch.ts';

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

/**
 * A slot is three words side by side, [hash, state, entry + 1], so a probe reads one cache line and touches the
 * entry's bitset only when hash and state both match.
 */
const SLOT = 3;

export class ConfigCache {
  private slots: Int32Array;
  private capacity: number;
  private mask: number;
  /** Bitsets in fixed pages of PAGE entries, so growing never copies them (Int32, like the search's bitset). */
  private pages: Int32Array[] = [];
  private count = 0;

  private readonly entryBytes: number;

  constructor(private readonly words: number, private readonly maxEntries: number, private readonly budget: ByteBudget, expected = 1024) {
    this.entryBytes = ConfigCache.bytesPerEntry(words);
    const initial = Math.min(2 ** Math.ceil(Math.log2(Math.max(16, expected))), 1 << 16, 2 ** Math.ceil(Math.log2(Math.max(16, maxEntries))));
    this.capacity = initial * 2;
    this.slots = takeInts(this.capacity * SLOT, 0);
    this.mask = this.capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes an entry costs, table slots included: what the caller divides a byte budget by. */
  static bytesPerEntry(words: number): number {
    return words * 4 + 2 * SLOT * 4;
  }

  /** Whether the configuration is there. */
  has(hash: number, state: number, current: Int32Array): boolean {
    const words = this.words;
    const slots = this.slots;
    const mask = this.mask;
    const h = hash | 0;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = i * SLOT;
      const slot = slots[at + 2];
      if (slot === 0) return false;
      if (slots[at] !== h || slots[at + 1] !== state) continue;
      const e = slot - 1;
      const page = this.pages[e >>> PAGE_BITS];
      const base = (e & (PAGE - 1)) * words;
      let w = 0;
      while (w < words && page[base + w] === current[w]) w++;
      if (w === words) return true;
    }
  }

  /** Adds the configuration unless it is already there; FULL when the entry budget is spent. */
  insert(hash: number, state: number, current: Int32Array): InsertResult {
    const words = this.words;
    const slots = this.slots;
    const mask = this.mask;
    const h = hash | 0;
    let i = hash & mask;
    for (;;) {
      const at = i * SLOT;
      const slot = slots[at + 2];
      if (slot === 0) break;
      if (slots[at] === h && slots[at + 1] === state) {
        const e = slot - 1;
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
    const e = this.count++;
    if ((e & (PAGE - 1)) === 0) this.pages.push(takeInts(PAGE * words, 0));
    this.pages[e >>> PAGE_BITS].set(current, (e & (PAGE - 1)) * words);
    const at = i * SLOT;
    slots[at] = h;
    slots[at + 1] = state;
    slots[at + 2] = e + 1;
    if (this.count * 2 > this.capacity) this.rehash();
    return INSERTED;
  }

  /** Gives this memo's bytes back to the budget; the cache must not be used afterwards. */
  release(): void {
    this.budget.remaining += this.count * this.entryBytes;
    this.count = 0;
    for (const page of this.pages) giveInts(page);
    this.pages = [];
    if (this.capacity > 1) giveInts(this.slots);
    this.slots = new Int32Array(SLOT);
    this.capacity = 1;
    this.mask = 0;
  }

  private rehash(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const slots = takeInts(capacity * SLOT, 0);
    const mask = capacity - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 2] === 0) continue;
      let i = old[from] & mask;
      while (slots[i * SLOT + 2] !== 0) i = (i + 1) & mask;
      const to = i * SLOT;
      slots[to] = old[from];
      slots[to + 1] = old[from + 1];
      slots[to + 2] = old[from + 2];
    }
    giveInts(old);
    this.slots = slots;
    this.capacity = capacity;
    this.mask = mask;
  }
}
