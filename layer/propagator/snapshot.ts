import type { Redis } from 'ioredis';
import { K } from '../store/redis.ts';

/** One page of a region's replicated key states, served to a region being re-seeded. */
export interface SnapshotPage {
  /** SCAN cursor of the next page; '0' when this was the last. */
  cursor: string;
  /** [key, stored state]; validated by the receiving side like any replicated state. */
  states: [string, unknown][];
  /** Keys whose stored value is not JSON (written past the layer): left out, and named so the puller can log them. */
  unreadable: string[];
}

/**
 * A page of a SCAN over the replicated keys. A scan is not atomic, but it is consistent for re-seeding: every
 * key that existed when the scan started is returned, and key states only ever grow by joins, so every state read
 * contains at least what it held at the start. Marks taken before the first page are therefore covered.
 */
export async function readSnapshotPage(redis: Redis, cursor: string, count: number): Promise<SnapshotPage> {
  const [next, names] = await redis.scan(cursor, 'MATCH', `${K.kvPrefix}*`, 'COUNT', count);
  const values = await Promise.all(names.map((n) => redis.hget(n, 's')));
  const page: SnapshotPage = { cursor: next, states: [], unreadable: [] };
  names.forEach((name, i) => {
    const key = name.slice(K.kvPrefix.length);
    const json = values[i];
    if (!json) return;
    try {
      page.states.push([key, JSON.parse(json)]);
    } catch {
      page.unreadable.push(key);
    }
  });
  return page;
}
