import type { Redis } from 'ioredis';
import { K } from '../store/redis.ts';

/**
 * Conflict markers for eventual keys written while this region was below quorum: such a write may conflict with
 * writes the other side of the partition took. Markers are kept in Redis (listed, counted, surviving a restart)
 * and cleared once the region has healed and exchanged its log with every peer, i.e. the writes were reconciled.
 */
export class DegradedMarkers {
  private readonly keys = new Map<string, { since: number }>();
  reconciled = 0;

  constructor(private readonly redis: Redis) {}

  async load(): Promise<void> {
    const all = await this.redis.hgetall(K.markers);
    for (const [key, json] of Object.entries(all)) this.keys.set(key, JSON.parse(json) as { since: number });
  }

  async mark(key: string): Promise<void> {
    if (this.keys.has(key)) return;
    const m = { since: Date.now() };
    this.keys.set(key, m);
    await this.redis.hset(K.markers, key, JSON.stringify(m));
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }

  list(): { key: string; since: number }[] {
    return [...this.keys].map(([key, m]) => ({ key, since: m.since }));
  }

  async reconcileAll(): Promise<number> {
    const n = this.keys.size;
    if (n === 0) return 0;
    await this.redis.del(K.markers);
    this.keys.clear();
    this.reconciled += n;
    return n;
  }
}
