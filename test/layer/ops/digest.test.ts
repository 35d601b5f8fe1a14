import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { RedisProcess } from '../support/redis-process.ts';
import { computeDigest, DigestMemo } from '../../../layer/ops/digest.ts';
import { applyLocal } from '../../../layer/resolver/index.ts';

function state(value: unknown, seq: number): string {
  const r = applyLocal('lww', undefined, { op: 'put', value }, { region: 'us-east', version: { hlc: { wall: 1, logical: seq }, region: 'us-east', seq }, vclock: { 'us-east': seq } });
  if (!r.ok) throw new Error(r.message);
  return JSON.stringify(r.stored);
}

describe('layer/ops/digest (real redis-server)', function () {
  this.timeout(20_000);
  let server: RedisProcess;
  let redis: Redis;
  before(async () => {
    server = await RedisProcess.start();
    redis = server.client();
  });
  after(async () => {
    redis?.disconnect();
    await server?.dispose();
  });

  it('with a memo, gives the digest it gives without one, and sees every change of a state, foreign ones included', async () => {
    for (let i = 0; i < 20; i++) await redis.hset(`rift:kv:k${i}`, 'n', '1', 's', state({ i }, i + 1));
    const memo = new DigestMemo();
    const fresh = await computeDigest(redis);
    assert.deepEqual(await computeDigest(redis, memo), fresh);
    assert.deepEqual(await computeDigest(redis, memo), fresh, 'from the memo');
    await redis.hset('rift:kv:k3', 's', state({ i: 'changed' }, 30));
    const changed = await computeDigest(redis, memo);
    assert.notEqual(changed.digest, fresh.digest);
    assert.deepEqual(changed, await computeDigest(redis));
    await redis.hset('rift:kv:k4', 's', 'not json');
    const foreign = await computeDigest(redis, memo);
    assert.deepEqual(foreign.corrupt, { count: 1, keys: ['k4'] });
    assert.equal(foreign.keys, 19);
    assert.deepEqual(foreign, await computeDigest(redis));
    await redis.del('rift:kv:k5');
    assert.deepEqual(await computeDigest(redis, memo), await computeDigest(redis));
    assert.equal(memo.lines.has('k5'), false, 'a deleted key leaves the memo');
  });
});
