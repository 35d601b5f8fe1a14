import type { Redis } from 'ioredis';
import { K, LuaScript } from '../../store/redis.ts';

/** Acceptor state per key: `p` promised ballot, `a` accepted ballot, `v` accepted value as JSON ('' = never written). */
const PREPARE = new LuaScript(
  'paxos-prepare',
  `
local h = redis.call('HMGET', KEYS[1], 'p', 'a', 'v')
local p = tonumber(h[1] or '0')
local b = tonumber(ARGV[1])
if b <= p then return {0, tostring(p)} end
redis.call('HSET', KEYS[1], 'p', ARGV[1])
return {1, h[2] or '0', h[3] or ''}
`,
);

const ACCEPT = new LuaScript(
  'paxos-accept',
  `
local p = tonumber(redis.call('HGET', KEYS[1], 'p') or '0')
local b = tonumber(ARGV[1])
if b < p then return {0, tostring(p)} end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 'a', ARGV[1], 'v', ARGV[2])
return {1}
`,
);

export type PrepareReply = { ok: true; accepted: number; value: string } | { ok: false; promised: number };
export type AcceptReply = { ok: true } | { ok: false; promised: number };

/** The acceptor role over this region's Redis; its state survives restarts because Redis fsyncs every write. */
export class RedisAcceptor {
  constructor(private readonly redis: Redis) {}

  async prepare(key: string, ballot: number): Promise<PrepareReply> {
    const r = (await PREPARE.run(this.redis, [K.paxos(key)], [String(ballot)])) as [number, string, string?];
    return r[0] === 1 ? { ok: true, accepted: Number(r[1]), value: r[2] ?? '' } : { ok: false, promised: Number(r[1]) };
  }

  async accept(key: string, ballot: number, value: string): Promise<AcceptReply> {
    const r = (await ACCEPT.run(this.redis, [K.paxos(key)], [String(ballot), value])) as [number, string?];
    return r[0] === 1 ? { ok: true } : { ok: false, promised: Number(r[1]) };
  }

  /** The locally accepted value, without any round: only the stale-critical-reads bug uses this. */
  async localValue(key: string): Promise<string> {
    return (await this.redis.hget(K.paxos(key), 'v')) ?? '';
  }
}
