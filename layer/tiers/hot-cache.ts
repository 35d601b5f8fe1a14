/**
 * The hot tier's in-process read cache. An entry is served for at most `stalenessMs` after it was read from
 * Redis; local writes and applied replication drop the entry at once, and a read that loaded the key before such a
 * drop does not put what it loaded back (see `load`). So a cached read is never behind what its region had
 * written or applied when the read began; the bound caps only what a dropped-entry bug would cost.
 */
export class HotCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Keys being loaded: how many loads, and how many drops since the first of them began. */
  private readonly loading = new Map<string, { loads: number; drops: number }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly stalenessMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.at <= this.stalenessMs) {
      this.hits++;
      return e.value;
    }
    this.misses++;
    return undefined;
  }

  /**
   * Loads a key's value with `fetch` and caches it, unless the key was dropped while it loaded: a write that
   * committed meanwhile may be missing from what was loaded, and caching that would serve it after the write's ack.
   */
  async load(key: string, fetch: () => Promise<V>): Promise<V> {
    const l = this.loading.get(key) ?? { loads: 0, drops: 0 };
    l.loads++;
    this.loading.set(key, l);
    const dropsBefore = l.drops;
    try {
      const value = await fetch();
      if (l.drops === dropsBefore) this.set(key, value);
      return value;
    } finally {
      if (--l.loads === 0) this.loading.delete(key);
    }
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    const l = this.loading.get(key);
    if (l) l.drops++;
  }
}
