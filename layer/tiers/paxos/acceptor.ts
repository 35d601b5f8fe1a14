import type { Redis } from 'ioredis';
import { K, LuaScript } from '../../store/redis.ts';
import { MessageDropped, type FailpointName, type Failpoints } from '../../failpoints/registry.ts';
import { REGION_SLOTS } from './ballot.ts';

/**
 * Acceptor state per key: `p` promised ballot, `a` accepted ballot, `v` accepted value as JSON ('' = never written).
 * ARGV[2] is a flag string for the calibration bugs: 'f' (acceptor-forgets-promise) does not persist the promise,
 * 'r' (ballot-round-only) compares ballots by round alone, ignoring the proposer part that breaks ties.
 */
const ORDER = `
local function rank(x, flags)
  if string.find(flags, 'r', 1, true) then return math.floor(x / ${REGION_SLOTS}) end
  return x
end
`;

const PREPARE = new LuaScript(
  'paxos-prepare',
  `${ORDER}
local h = redis.call('HMGET', KEYS[1], 'p', 'a', 'v')
local p = tonumber(h[1] or '0')
local b = tonumber(ARGV[1])
local strict = not string.find(ARGV[2], 'r', 1, true)
if rank(b, ARGV[2]) < rank(p, ARGV[2]) or (strict and b == p) then return {0, tostring(p)} end
if not string.find(ARGV[2], 'f', 1, true) then redis.call('HSET', KEYS[1], 'p', ARGV[1]) end
return {1, h[2] or '0', h[3] or ''}
`,
);

const ACCEPT = new LuaScript(
  'paxos-accept',
  `${ORDER}
local p = tonumber(redis.call('HGET', KEYS[1], 'p') or '0')
local b = tonumber(ARGV[1])
if rank(b, ARGV[3]) < rank(p, ARGV[3]) then return {0, tostring(p)} end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 'a', ARGV[1], 'v', ARGV[2])
return {1}
`,
);

export type PrepareReply = { ok: true; accepted: number; value: string } | { ok: false; promised: number };
export type AcceptReply = { ok: true } | { ok: false; promised: number };

export interface AcceptorOptions {
  failpoints: Failpoints;
  /** Calibration bug: a promise is answered but never persisted, so a later accept with a lower ballot passes. */
  forgetPromise: boolean;
  /** Calibration bug: ballots of the same round from different proposers count as equal. */
  roundOnly: boolean;
}

/** The acceptor role over this region's Redis; its state survives restarts because Redis fsyncs every write. */
export class RedisAcceptor {
  private readonly flags: string;

  constructor(
    private readonly redis: Redis,
    private readonly opts: AcceptorOptions,
  ) {
    this.flags = (opts.forgetPromise ? 'f' : '') + (opts.roundOnly ? 'r' : '') || '-';
  }

  async prepare(key: string, ballot: number): Promise<PrepareReply> {
    await this.at('paxos-before-promise');
    const r = (await PREPARE.run(this.redis, [K.paxos(key)], [String(ballot), this.flags])) as [number, string, string?];
    await this.at('paxos-acceptor-reply');
    return r[0] === 1 ? { ok: true, accepted: Number(r[1]), value: r[2] ?? '' } : { ok: false, promised: Number(r[1]) };
  }

  async accept(key: string, ballot: number, value: string): Promise<AcceptReply> {
    await this.at('paxos-before-accept');
    const r = (await ACCEPT.run(this.redis, [K.paxos(key)], [String(ballot), value, this.flags])) as [number, string?];
    await this.at('paxos-acceptor-reply');
    return r[0] === 1 ? { ok: true } : { ok: false, promised: Number(r[1]) };
  }

  /** The locally accepted value, without any round: only the stale-critical-reads bug uses this. */
  async localValue(key: string): Promise<string> {
    return (await this.redis.hget(K.paxos(key), 'v')) ?? '';
  }

  private async at(point: FailpointName): Promise<void> {
    const hit = this.opts.failpoints.hit(point);
    if (hit && (await hit) === 'drop') throw new MessageDropped(point);
  }
}
