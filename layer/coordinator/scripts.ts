import { LuaScript } from '../store/redis.ts';

/*
 * Every key lives in a hash {n: change counter, s: Stored JSON}. Optimistic concurrency compares the change
 * counter, not the version: a merge of an older remote state can change `s` without changing the winning
 * version, and a local writer that read before that merge must still lose its race. A checked write sets the
 * counter it checked plus one in the same HSET as the state (one command in the AOF per key, not two); only the
 * unchecked bug paths bump it with HINCRBY.
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
 * A group of local writes committed in one call (group commit: one round trip and one fsync for every write that
 * was waiting). Each write is checked and applied on its own, in order, all or nothing per write: check its keys'
 * change counters (unless the skip-version-check bug is on), write the new states, and append one entry to the
 * region's log whose stream id is the next log sequence. A later write in the group sees the earlier ones' counters,
 * so two writes of one key in one group race exactly as they would in two calls. Nothing is written when the
 * epoch key differs from the node's (Redis was flushed under it: its cached counters mean nothing any more).
 * KEYS: [head, log, epoch, kv...]; ARGV: [check 0|1, epoch, ts, writes, then per write: n, itemsJson,
 * expected_1..n, write_1..n (0|1), json_1..n], its kv keys next in KEYS.
 * Returns {-1} on an epoch mismatch, else one entry per write: its sequence, or 0 if one of its keys changed.
 */
export const COMMIT_GROUP = new LuaScript(
  'commit-group',
  `
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return {-1} end
local out = {}
local a = 5
local k = 4
for w = 1, tonumber(ARGV[4]) do
  local n = tonumber(ARGV[a])
  local items = ARGV[a + 1]
  local e = a + 2
  local ok = true
  if ARGV[1] == '1' then
    for i = 0, n - 1 do
      if (redis.call('HGET', KEYS[k + i], 'n') or '0') ~= ARGV[e + i] then ok = false break end
    end
  end
  if ok then
    local seq = redis.call('INCR', KEYS[1])
    for i = 0, n - 1 do
      if ARGV[e + n + i] ~= '1' then
      elseif ARGV[1] == '1' then
        redis.call('HSET', KEYS[k + i], 'n', string.format('%d', tonumber(ARGV[e + i]) + 1), 's', ARGV[e + 2 * n + i])
      else
        redis.call('HINCRBY', KEYS[k + i], 'n', 1)
        redis.call('HSET', KEYS[k + i], 's', ARGV[e + 2 * n + i])
      end
    end
    redis.call('XADD', KEYS[2], seq .. '-0', 'ts', ARGV[3], 'items', items)
    out[w] = seq
  else
    out[w] = 0
  end
  a = e + 3 * n
  k = k + n
end
return out
`,
);

/**
 * A run of replicated entries from one origin, already merged into the local states: written only if the origin's
 * applied mark is still where the snapshot saw it (so a redelivered or concurrently applied run changes nothing) and
 * every key is as the snapshot had it (its change counter, or, for a key the receiver assumed absent, expected ''
 * and the key does not exist); the mark moves to the run's last sequence in the same step. One fsync per run, not
 * per entry. KEYS: [applied, kv_1..kv_n]; ARGV: [origin, expectedMark, newMark, n, expected_1..n, write_1..n,
 * json_1..n, check 0|1] (check 0 is the apply-without-version-check bug: a local write made since the snapshot is
 * overwritten). Returns {1, newMark}; {2, mark} (mark moved: re-read); or, writing nothing, {0, then for every key
 * that is not as expected: its index, counter and state JSON ('' if none)}, so the caller merges again at once.
 */
export const APPLY_REMOTE = new LuaScript(
  'apply-remote',
  `
local mark = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
if mark ~= ARGV[2] then return {2, tonumber(mark)} end
local n = tonumber(ARGV[4])
local checked = ARGV[5 + 3 * n] ~= '0'
if checked then
  -- Keys assumed absent are checked with one EXISTS per chunk of them (a catch-up brings thousands); only a chunk
  -- that has some is checked key by key.
  local present = {}
  local chunk = {}
  for i = 1, n + 1 do
    if i <= n and ARGV[4 + i] == '' then chunk[#chunk + 1] = KEYS[1 + i] end
    if #chunk == 500 or (i > n and #chunk > 0) then
      if redis.call('EXISTS', unpack(chunk)) > 0 then
        for j = 1, #chunk do present[chunk[j]] = redis.call('EXISTS', chunk[j]) == 1 end
      end
      chunk = {}
    end
  end
  local changed = {0}
  for i = 1, n do
    local want = ARGV[4 + i]
    local ok
    if want == '' then ok = not present[KEYS[1 + i]]
    else ok = (redis.call('HGET', KEYS[1 + i], 'n') or '0') == want end
    if not ok then
      local h = redis.call('HMGET', KEYS[1 + i], 'n', 's')
      changed[#changed + 1] = i
      changed[#changed + 1] = h[1] or '0'
      changed[#changed + 1] = h[2] or ''
    end
  end
  if #changed > 1 then return changed end
end
for i = 1, n do
  if ARGV[4 + n + i] ~= '1' then
  elseif checked then
    redis.call('HSET', KEYS[1 + i], 'n', string.format('%d', (tonumber(ARGV[4 + i]) or 0) + 1), 's', ARGV[4 + 2 * n + i])
  else
    redis.call('HINCRBY', KEYS[1 + i], 'n', 1)
    redis.call('HSET', KEYS[1 + i], 's', ARGV[4 + 2 * n + i])
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {1, tonumber(ARGV[3])}
`,
);

/**
 * States joined in JS from a re-seeding snapshot: written only if no key changed since they were read (a local
 * write or a replicated entry in between makes the caller re-read and join again). No applied mark moves here.
 * KEYS: [kv_1..kv_n]; ARGV: [n, expected_1..n, write_1..n, json_1..n]. Returns 1, or 0 if a key changed.
 */
export const MERGE_STATES = new LuaScript(
  'merge-states',
  `
local n = tonumber(ARGV[1])
for i = 1, n do
  if (redis.call('HGET', KEYS[i], 'n') or '0') ~= ARGV[1 + i] then return 0 end
end
for i = 1, n do
  if ARGV[1 + n + i] == '1' then
    redis.call('HSET', KEYS[i], 'n', string.format('%d', tonumber(ARGV[1 + i]) + 1), 's', ARGV[1 + 2 * n + i])
  end
end
return 1
`,
);

/**
 * Raises a counter kept in a hash field or a plain key to at least ARGV value, never lowering it.
 * KEYS: [key]; ARGV: [field or '' for a plain key, value]. Returns the value now held.
 */
export const RAISE_TO = new LuaScript(
  'raise-to',
  `
local cur
if ARGV[1] == '' then cur = tonumber(redis.call('GET', KEYS[1]) or '0') else cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') end
local want = tonumber(ARGV[2])
if want <= cur then return cur end
if ARGV[1] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return want
`,
);
