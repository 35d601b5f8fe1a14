import { LuaScript } from '../store/redis.ts';

/*
 * Every key lives in a hash {n: change counter, s: Stored JSON}. Optimistic concurrency compares the change
 * counter, not the version: a merge of an older remote state can change `s` without changing the winning
 * version, and a local writer that read before that merge must still lose its race.
 */

/**
 * KEYS: [mark, kv...]; ARGV: [field]. Returns [HGET mark field or 0, n1, s1, n2, s2, ...] as one atomic, read-only
 * snapshot (read-only matters: with appendfsync always every write command costs an fsync).
 */
export const READ_SNAPSHOT = new LuaScript(
  'read-snapshot',
  `
local out = {redis.call('HGET', KEYS[1], ARGV[1]) or '0'}
for i = 2, #KEYS do
  local h = redis.call('HMGET', KEYS[i], 'n', 's')
  out[#out + 1] = h[1] or '0'
  out[#out + 1] = h[2] or ''
end
return out
`,
);

/**
 * The local write: check every key's change counter (unless the skip-version-check bug is on), write the new
 * states, and append one entry to the region's log whose stream id is the next log sequence. All or nothing.
 * KEYS: [head, log, kv_1..kv_n]; ARGV: [check 0|1, n, ts, itemsJson, expected_1..n, write_1..n (0|1), json_1..n].
 * Returns {1, seq} or {0, index of the key that changed}.
 */
export const COMMIT_LOCAL = new LuaScript(
  'commit-local',
  `
local n = tonumber(ARGV[2])
if ARGV[1] == '1' then
  for i = 1, n do
    local cur = redis.call('HGET', KEYS[2 + i], 'n') or '0'
    if cur ~= ARGV[4 + i] then return {0, i} end
  end
end
local seq = redis.call('INCR', KEYS[1])
for i = 1, n do
  if ARGV[4 + n + i] == '1' then
    redis.call('HINCRBY', KEYS[2 + i], 'n', 1)
    redis.call('HSET', KEYS[2 + i], 's', ARGV[4 + 2 * n + i])
  end
end
redis.call('XADD', KEYS[2], seq .. '-0', 'ts', ARGV[3], 'items', ARGV[4])
return {1, seq}
`,
);

/**
 * A run of replicated entries from one origin, already merged into the local states: written only if the origin's
 * applied mark is still where the snapshot saw it (so a redelivered or concurrently applied run changes nothing) and
 * no key changed since; the mark moves to the run's last sequence in the same step. One fsync per run, not per entry.
 * KEYS: [applied, kv_1..kv_n]; ARGV: [origin, expectedMark, newMark, n, expected_1..n, write_1..n, json_1..n, check 0|1]
 * (check 0 is the apply-without-version-check bug: a local write made since the snapshot is overwritten).
 * Returns {1, newMark}, {2, mark} (mark moved: re-read) or {0, index of the key that changed}.
 */
export const APPLY_REMOTE = new LuaScript(
  'apply-remote',
  `
local mark = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
if mark ~= ARGV[2] then return {2, tonumber(mark)} end
local n = tonumber(ARGV[4])
if ARGV[5 + 3 * n] ~= '0' then
  for i = 1, n do
    local cur = redis.call('HGET', KEYS[1 + i], 'n') or '0'
    if cur ~= ARGV[4 + i] then return {0, i} end
  end
end
for i = 1, n do
  if ARGV[4 + n + i] == '1' then
    redis.call('HINCRBY', KEYS[1 + i], 'n', 1)
    redis.call('HSET', KEYS[1 + i], 's', ARGV[4 + 2 * n + i])
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {1, tonumber(ARGV[3])}
`,
);
