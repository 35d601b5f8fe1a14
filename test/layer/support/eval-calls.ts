import type { Redis } from 'ioredis';

/** Scripts Redis has run so far (EVALSHA calls in INFO commandstats): how tests count round trips to Redis. */
export async function evalCalls(redis: Redis): Promise<number> {
  const m = /cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'));
  return Number(m?.[1] ?? 0);
}
