import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { redisForSuite } from '../support/redis-process.ts';
import { evalCalls } from '../support/eval-calls.ts';
import { Coordinator } from '../../../layer/coordinator/coordinator.ts';
import { NodeClock } from '../../../layer/coordinator/node-clock.ts';
import { applyLocal, read, type LocalOp } from '../../../layer/resolver/index.ts';
import { connectRedis } from '../../../layer/store/redis.ts';

function coordinator(redis: Redis, checkVersions = true): Coordinator {
  return new Coordinator(redis, 'us-east', new NodeClock(false, 60_000), {
    checkVersions, ackBeforeWrite: false, onCommit: () => undefined, onBackgroundError: () => undefined,
  });
}

function op(c: Coordinator, key: string, strategy: 'pn-counter' | 'or-set', o: LocalOp) {
  return c.transact([key], ([snap], version) => {
    const r = applyLocal(strategy, snap.stored, o, c.ctx(version, snap.stored));
    if (!r.ok) throw new Error(r.message);
    return { writes: new Map([[key, r.stored]]), result: null };
  });
}

describe('write coordinator against a real redis-server', function () {
  this.timeout(30_000);
  const db = redisForSuite();


  it('group-commits concurrent writes and queues writes of one key: no increment lost, far fewer calls than writes', async () => {
    const c = coordinator(db.redis);
    const keys = Array.from({ length: 50 }, (_, i) => `counter/k${i}`);
    for (const k of keys) await op(c, k, 'pn-counter', { op: 'incr', delta: 1 });
    await db.admin.config('RESETSTAT');
    const n = 200;
    const seqs = await Promise.all(Array.from({ length: n }, (_, i) => op(c, keys[i % keys.length], 'pn-counter', { op: 'incr', delta: 1 }).then((r) => r.seq)));
    const calls = await evalCalls(db.admin);
    assert.equal(new Set(seqs).size, n, 'every write got its own log sequence');
    for (const [key, snap] of (await c.snapshot(keys)).entries()) assert.equal(read(snap.stored).value, 1 + n / keys.length, keys[key]);
    assert.equal(await db.admin.xlen('rift:log'), keys.length + n);
    assert.ok(calls <= n / 10, `${calls} EVALSHA calls for ${n} concurrent writes`);
  });

  it('keeps every concurrent write of one hot key', async () => {
    const c = coordinator(db.redis);
    await Promise.all(Array.from({ length: 100 }, () => op(c, 'counter/hot', 'pn-counter', { op: 'incr', delta: 1 })));
    const [snap] = await c.snapshot(['counter/hot']);
    assert.equal(read(snap.stored).value, 100);
  });

  it('a write after FLUSHALL does not build on the state cached before it (the epoch changes)', async () => {
    const a = coordinator(db.redis);
    await op(a, 'set/e', 'or-set', { op: 'add', element: 'before' });
    await db.admin.flushall();
    // Another writer recreates the key with the same change counter the cache holds, but different content.
    const other = connectRedis('127.0.0.1', db.server.port, db.server.password);
    try {
      await op(coordinator(other), 'set/e', 'or-set', { op: 'add', element: 'other' });
    } finally {
      other.disconnect();
    }
    await op(a, 'set/e', 'or-set', { op: 'add', element: 'after' });
    const [snap] = await a.snapshot(['set/e']);
    assert.deepEqual((read(snap.stored).value as string[]).sort(), ['after', 'other']);
  });

  it('a write on a stale cached state loses its race and is redone on a fresh read', async () => {
    const a = coordinator(db.redis);
    const b = coordinator(db.redis);
    await op(a, 'set/s', 'or-set', { op: 'add', element: 1 });
    await op(b, 'set/s', 'or-set', { op: 'add', element: 2 });
    await op(a, 'set/s', 'or-set', { op: 'add', element: 3 });
    const [snap] = await b.snapshot(['set/s']);
    assert.deepEqual(read(snap.stored).value, [1, 2, 3]);
  });

  it('refuses reads and writes with a definite 503 while the region is being re-seeded', async () => {
    const c = coordinator(db.redis);
    c.setSeeding(true);
    await assert.rejects(op(c, 'counter/r', 'pn-counter', { op: 'incr', delta: 1 }), (e: { status?: number; code?: string }) => e.status === 503 && e.code === 'reseeding');
    await assert.rejects(c.snapshot(['counter/r']), (e: { status?: number }) => e.status === 503);
    assert.equal(await db.admin.exists('rift:kv:counter/r'), 0);
    c.setSeeding(false);
    await op(c, 'counter/r', 'pn-counter', { op: 'incr', delta: 1 });
  });
});
