import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { RedisProcess } from '../support/redis-process.ts';
import { LogTrimmer } from '../../../layer/propagator/log-trimmer.ts';
import { ConfigError, parseConfig } from '../../../layer/config.ts';
import { createLogger } from '../../../layer/log.ts';
import { K } from '../../../layer/store/redis.ts';

const quiet = createLogger('test', 'error', () => undefined);
const peers = ['eu-west', 'ap-south'];

describe('log trimmer against a real redis-server', function () {
  this.timeout(30_000);
  let server: RedisProcess;
  let redis: Redis;

  before(async () => {
    server = await RedisProcess.start();
    redis = server.client();
  });
  beforeEach(async () => {
    await redis.flushall();
    for (let seq = 1; seq <= 10; seq++) await redis.xadd(K.log, `${seq}-0`, 'ts', '0', 'items', '[]');
    await redis.set(K.head, '10');
  });
  after(async () => {
    redis?.disconnect();
    await server?.dispose();
  });

  const firstSeq = async () => Number((await redis.xrange(K.log, '-', '+', 'COUNT', 1))[0]?.[0].split('-')[0] ?? NaN);

  it('removes exactly what every peer confirmed, and nothing while a peer has no checkpoint', async () => {
    const t = new LogTrimmer(redis, { peers, intervalMs: 1_000, retainEntries: 0, log: quiet });
    await redis.hset(K.checkpoints, 'eu-west', '7');
    await t.trimOnce();
    assert.equal(await redis.xlen(K.log), 10);
    assert.deepEqual(t.status(), { trimmedThrough: 0, entries: 10 });
    await redis.hset(K.checkpoints, 'ap-south', '4');
    await t.trimOnce();
    assert.equal(await firstSeq(), 5);
    assert.deepEqual(t.status(), { trimmedThrough: 4, entries: 6 });
    await redis.hset(K.checkpoints, 'ap-south', '10', 'eu-west', '10');
    await t.trimOnce();
    assert.equal(await redis.xlen(K.log), 0);
    assert.deepEqual(t.status(), { trimmedThrough: 10, entries: 0 });
  });

  it('keeps the retained tail', async () => {
    const t = new LogTrimmer(redis, { peers, intervalMs: 1_000, retainEntries: 3, log: quiet });
    await redis.hset(K.checkpoints, 'eu-west', '9', 'ap-south', '10');
    await t.trimOnce();
    assert.equal(await firstSeq(), 7);
    assert.deepEqual(t.status(), { trimmedThrough: 6, entries: 4 });
  });

  it('load() reports what an earlier run trimmed, including a log trimmed empty', async () => {
    await redis.xtrim(K.log, 'MINID', '6-0');
    const t = new LogTrimmer(redis, { peers, intervalMs: 1_000, retainEntries: 0, log: quiet });
    await t.load();
    assert.deepEqual(t.status(), { trimmedThrough: 5, entries: 5 });
    await redis.xtrim(K.log, 'MINID', '11-0');
    const u = new LogTrimmer(redis, { peers, intervalMs: 1_000, retainEntries: 0, log: quiet });
    await u.load();
    assert.deepEqual(u.status(), { trimmedThrough: 10, entries: 0 });
    await redis.del(K.log);
    const v = new LogTrimmer(redis, { peers, intervalMs: 1_000, retainEntries: 0, log: quiet });
    await v.load();
    assert.deepEqual(v.status(), { trimmedThrough: 0, entries: 0 });
  });

  it('runs periodically once started and not at all after stop()', async () => {
    const t = new LogTrimmer(redis, { peers, intervalMs: 20, retainEntries: 0, log: quiet });
    t.start();
    try {
      await redis.hset(K.checkpoints, 'eu-west', '3', 'ap-south', '3');
      const deadline = Date.now() + 5_000;
      while ((await firstSeq()) !== 4) {
        assert.ok(Date.now() < deadline, 'not trimmed within 5 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await t.stop();
    }
    await redis.hset(K.checkpoints, 'eu-west', '8', 'ap-south', '8');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await firstSeq(), 4);
  });
});

describe('log trimming config', () => {
  const good = () => ({
    region: 'us-east', regions: ['us-east', 'eu-west'], port: 7001, redis: { port: 6390 },
    peers: { 'eu-west': 'http://127.0.0.1:21001' }, secret: 's', adminToken: 't',
  });

  it('defaults to a pass a second and no retained tail', () => {
    const c = parseConfig(good());
    assert.equal(c.logTrimIntervalMs, 1_000);
    assert.equal(c.logRetainEntries, 0);
    assert.equal(parseConfig({ ...good(), logTrimIntervalMs: 50, logRetainEntries: 100 }).logRetainEntries, 100);
  });

  for (const [field, value] of [['logTrimIntervalMs', 0], ['logTrimIntervalMs', 'fast'], ['logRetainEntries', -1], ['logRetainEntries', 1.5]] as const) {
    it(`rejects ${field}: ${JSON.stringify(value)}, naming the field`, () => {
      assert.throws(
        () => parseConfig({ ...good(), [field]: value }, 'node.json'),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`node.json: field "${field}"`),
      );
    });
  }
});
