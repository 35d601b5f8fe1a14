import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { RedisProcess } from '../support/redis-process.ts';
import { Reseeder } from '../../../layer/propagator/reseed.ts';
import { Failpoints } from '../../../layer/failpoints/registry.ts';
import { Receiver } from '../../../layer/propagator/receiver.ts';
import { NodeClock } from '../../../layer/coordinator/node-clock.ts';
import { createLogger } from '../../../layer/log.ts';
import { K } from '../../../layer/store/redis.ts';

describe('re-seeder: when a data set needs seeding (real redis-server)', function () {
  this.timeout(30_000);
  let server: RedisProcess;
  let redis: Redis;
  let reseeder: Reseeder;

  before(async () => {
    server = await RedisProcess.start();
    redis = server.client();
    const receiver = new Receiver(redis, new NodeClock(false, 60_000), { onApplied: () => undefined, onConflict: () => undefined, onResolution: () => undefined, onCorrupt: () => undefined }, {
      failpoints: new Failpoints(() => { throw new Error('no failpoint is armed in this test'); }), checkpointBeforeApply: false, ignoreGap: false, applyWithoutVersionCheck: false,
    });
    reseeder = new Reseeder(redis, receiver, {
      region: 'eu-west', peers: {}, secret: 's', timeoutMs: 1_000, log: createLogger('eu-west', 'error', () => undefined), onMerged: () => undefined,
    });
  });
  beforeEach(() => redis.flushall());
  after(async () => {
    redis?.disconnect();
    await server?.dispose();
  });

  it('an empty data set needs seeding, and still does after a restart part-way through', async () => {
    assert.equal(await reseeder.needsSeed(), true);
    await redis.hset(K.applied, 'us-east', '5');
    assert.equal(await reseeder.needsSeed(), true, 'the in-progress marker survives a crash mid-seed');
  });

  it('a seeded data set does not, and a completed seed (here with no peers) marks it so', async () => {
    assert.equal(await reseeder.needsSeed(), true);
    await reseeder.seedFromAll(() => true);
    assert.equal(await reseeder.needsSeed(), false);
    assert.equal(await redis.exists(K.seeding), 0);
  });

  it('a data set from before the markers, with a log head, counts as seeded', async () => {
    await redis.set(K.head, '12');
    assert.equal(await reseeder.needsSeed(), false);
    assert.equal(await redis.exists(K.seeded), 1);
  });
});
