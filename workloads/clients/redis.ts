import { Redis } from 'ioredis';
import type { Client, Completion } from '../../harness/core/client.ts';
import type { Op } from '../../harness/core/op.ts';

type Endpoints = Readonly<Record<string, { host: string; port: number }>>;

/**
 * Plain Redis (one node per region) for registers and sets: `read`/`write`/`cas` on strings, `add`/`read` on sets.
 * Each process talks only to the node of its own region; a replica refuses writes, which is a definite `fail`.
 *
 * Error table:
 * - Redis error replies (READONLY, WRONGTYPE, LOADING, MASTERDOWN, ...) are `fail`: a single command or script
 *   that errors before writing has not applied.
 * - A command ioredis refuses to send (not connected, offline queue disabled) and a failed connect are `fail`.
 * - Timeouts, resets, a closed connection and MaxRetriesPerRequestError are `info`: the command may have run.
 * - A read that fails in any way is `fail`; it had no effect.
 *
 * Values are JSON-encoded, so a read gives back exactly what was written; a value that is not JSON comes back as
 * the raw string.
 */

/** Reads a key whatever its type, in one round trip; EVAL_RO is allowed on replicas. */
const READ_SCRIPT = `
local t = redis.call('TYPE', KEYS[1])['ok']
if t == 'string' then return {t, redis.call('GET', KEYS[1])} end
if t == 'set' then return {t, redis.call('SMEMBERS', KEYS[1])} end
return {t}`;

const CAS_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
return 0`;

const decode = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

/** Sets come back in hash order; sorting keeps histories comparable across runs. */
const byValue = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;

function readResult(reply: unknown, key: string): Completion {
  const [type, payload] = reply as [string, unknown];
  // An absent key reads as null; the set checker takes null as the empty set.
  if (type === 'none') return { type: 'ok', value: null };
  if (type === 'string') return { type: 'ok', value: decode(payload as string) };
  if (type === 'set') return { type: 'ok', value: (payload as string[]).map(decode).sort(byValue) };
  return { type: 'fail', value: null, error: `key ${key} holds a ${type}, which the redis client does not read` };
}

const NOT_SENT = new Set(["Stream isn't writeable and enableOfflineQueue options is false", 'connect failed']);

export function classifyRedisError(e: unknown, f: string): Completion {
  const err = e as { name?: string; message?: string; code?: string };
  const message = err.message ?? String(e);
  if (err.name === 'ReplyError') return { type: 'fail', value: null, error: message };
  if (NOT_SENT.has(message) || err.code === 'ECONNREFUSED') return { type: 'fail', value: null, error: message };
  const error = message === 'Command timed out' ? 'timeout' : `${err.name ?? 'Error'}: ${message}`;
  return { type: f === 'read' ? 'fail' : 'info', value: null, error };
}

export interface RedisClientOptions {
  /**
   * After each write, `WAIT` for this many replicas to confirm it, within half the operation timeout. A write fewer
   * replicas confirmed may or may not survive a failover, so it is `info`, not `ok`.
   */
  waitReplicas?: number;
}

export class RedisClient implements Client {
  private redis: Redis | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly opTimeoutMs: number,
    private readonly options: RedisClientOptions = {},
    private readonly region?: string,
  ) {
    if (region !== undefined) {
      const ep = endpoints[region];
      this.redis = new Redis({
        host: ep.host,
        port: ep.port,
        lazyConnect: true,
        connectTimeout: opTimeoutMs,
        // ioredis 6 can leave an in-flight command unsettled after a reconnect (#2193); the timer is the backstop.
        commandTimeout: opTimeoutMs,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        // Re-sending after a reconnect could apply a write twice.
        autoResendUnfulfilledCommands: false,
        retryStrategy: (times) => Math.min(50 * times, 500),
      });
      // Connection errors surface through the commands that hit them; the event would only be noise.
      this.redis.on('error', () => undefined);
    }
  }

  async open(region: string): Promise<Client> {
    if (!this.endpoints[region]) throw new Error(`redis client: no endpoint for region ${region}`);
    return new RedisClient(this.endpoints, this.opTimeoutMs, this.options, region);
  }

  private async connected(redis: Redis): Promise<void> {
    if (redis.status !== 'wait') return;
    try {
      await redis.connect();
    } catch {
      throw Object.assign(new Error('connect failed'), { name: 'ConnectError' });
    }
  }

  /** A write the primary applied, as the client reports it once the replicas asked for have (or have not) confirmed it. */
  private async replicated(redis: Redis, op: Op, done: Completion): Promise<Completion> {
    const want = this.options.waitReplicas ?? 0;
    if (want === 0) return done;
    let got: number;
    try {
      got = await redis.wait(want, Math.max(1, Math.floor(this.opTimeoutMs / 2)));
    } catch (e) {
      // The write has applied whatever WAIT says (e.g. "WAIT cannot be used with replica instances" from a primary
      // demoted in between), so a WAIT error is never a definite fail.
      return { type: 'info', value: op.value, error: `WAIT failed after the write applied: ${(e as Error).message}` };
    }
    if (got >= want) return done;
    return { type: 'info', value: op.value, error: `WAIT: ${got} of ${want} replicas confirmed the write` };
  }

  async invoke(op: Op, signal: AbortSignal): Promise<Completion> {
    const redis = this.redis;
    if (!redis || (op.region !== undefined && op.region !== this.region)) {
      return { type: 'fail', value: null, error: `this client is bound to region ${this.region}, not ${op.region}` };
    }
    const key = op.key;
    if (key === undefined || key === '') return { type: 'fail', value: null, error: `redis ${op.f} needs a key` };
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(Object.assign(new Error('Command timed out'), { name: 'TimeoutError' }));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    const run = async (): Promise<Completion> => {
      await this.connected(redis);
      switch (op.f) {
        case 'read':
          return readResult(await redis.call('EVAL_RO', READ_SCRIPT, '1', key), key);
        case 'write':
          await redis.set(key, JSON.stringify(op.value));
          return this.replicated(redis, op, { type: 'ok', value: op.value });
        case 'cas': {
          if (!Array.isArray(op.value) || op.value.length !== 2) {
            return { type: 'fail', value: null, error: `redis cas needs [expected, new], got ${JSON.stringify(op.value)}` };
          }
          const [expected, next] = op.value as [unknown, unknown];
          const hit = await redis.eval(CAS_SCRIPT, 1, key, JSON.stringify(expected), JSON.stringify(next));
          return hit === 1 ? this.replicated(redis, op, { type: 'ok', value: true }) : { type: 'ok', value: false };
        }
        case 'add':
          await redis.sadd(key, JSON.stringify(op.value));
          return this.replicated(redis, op, { type: 'ok', value: op.value });
        default:
          return { type: 'fail', value: null, error: `the redis client has no operation "${op.f}" (it supports read, write, cas, add)` };
      }
    };
    try {
      return { ...(await Promise.race([run(), aborted])), node: this.region };
    } catch (e) {
      return { ...classifyRedisError(e, op.f), node: this.region };
    }
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** The factory the runner calls: one endpoint per region (the region's client proxy), and the per-operation timeout. */
export const redisClient = (endpoints: Endpoints, opTimeoutMs: number, options: RedisClientOptions = {}): Client =>
  new RedisClient(endpoints, opTimeoutMs, options);
