import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

/**
 * Settings chosen for a node that must never double-apply or hang: no resend of in-flight commands after a
 * reconnect (a write could run twice), fail fast while Redis is down, and always a command timeout (ioredis 6
 * can leave an in-flight command pending forever otherwise, issue #2193).
 */
export function connectRedis(host: string, port: number, password?: string, commandTimeoutMs = 2_000): Redis {
  return new Redis({
    host,
    port,
    password,
    commandTimeout: commandTimeoutMs,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * times, 500),
    lazyConnect: false,
  });
}

/** A Lua script called by EVALSHA, loading it with EVAL when Redis has forgotten it (e.g. after a restart). */
export class LuaScript {
  private readonly sha: string;
  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Redis key names, one place, so every module agrees. */
export const K = {
  kv: (key: string) => `rift:kv:${key}`,
  kvPrefix: 'rift:kv:',
  dot: 'rift:dot',
  head: 'rift:head',
  log: 'rift:log',
  applied: 'rift:applied',
  checkpoints: 'rift:ckpt',
  markers: 'rift:markers',
  /** A random id set once per Redis data set: it vanishes with a FLUSHALL, which invalidates in-process caches. */
  epoch: 'rift:epoch',
  /** Present once this data set holds (or has been re-seeded with) the region's share of the replicated state. */
  seeded: 'rift:seeded',
  /** Present while a seeding from the peers is under way (a restart then seeds again). */
  seeding: 'rift:seeding',
  paxos: (key: string) => `rift:px:${key}`,
} as const;
