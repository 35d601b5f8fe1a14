/**
 * The hot tier's in-process read cache. An entry is served for at most `stalenessMs` after it was read from
 * Redis; local writes and applied replication drop the entry at once, so staleness only concerns what the
 * region has not yet applied or a read that raced a write.
 */
export class HotCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
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
  }
}
