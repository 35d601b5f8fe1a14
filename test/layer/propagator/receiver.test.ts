import { strict as assert } from 'node:assert';
import { redisForSuite } from '../support/redis-process.ts';
import { evalCalls } from '../support/eval-calls.ts';
import { Receiver } from '../../../layer/propagator/receiver.ts';
import type { LogEntry } from '../../../layer/propagator/batch.ts';
import { Coordinator } from '../../../layer/coordinator/coordinator.ts';
import { StateCache } from '../../../layer/coordinator/state-cache.ts';
import { NodeClock } from '../../../layer/coordinator/node-clock.ts';
import { decodeStored } from '../../../layer/coordinator/stored-codec.ts';
import { Failpoints } from '../../../layer/failpoints/registry.ts';
import { applyLocal, read, type LocalOp, type Stored, type Strategy } from '../../../layer/resolver/index.ts';
import { vcIncrement } from '../../../layer/clock/vclock.ts';

const clock = new NodeClock(false, 60_000);

/** One write made in `region` on top of `current` (what that region's coordinator would log). */
function remoteWrite(strategy: Strategy, current: Stored | undefined, op: LocalOp, region: string, seq: number): Stored {
  const version = { hlc: clock.now(), region, seq };
  const r = applyLocal(strategy, current, op, { region, version, vclock: vcIncrement(current?.vclock ?? {}, region) });
  if (!r.ok) throw new Error(r.message);
  return r.stored;
}

/** eu-west's log: entry i (from `first`) increments counter `keys[i]` by one. */
function increments(keys: string[], first = 1): LogEntry[] {
  return keys.map((key, i) => ({ seq: first + i, ts: Date.now(), items: [{ key, stored: remoteWrite('pn-counter', undefined, { op: 'incr', delta: 1 }, 'eu-west', first + i) }] }));
}

describe('replication receiver against a real redis-server', function () {
  this.timeout(30_000);
  const db = redisForSuite();
  let corrupt: string[];

  function receiver(cache = new StateCache()): Receiver {
    return new Receiver(db.redis, clock, {
      onApplied: () => undefined,
      onConflict: () => undefined,
      onResolution: () => undefined,
      onCorrupt: (key) => corrupt.push(key),
    }, {
      failpoints: new Failpoints(() => { throw new Error('no crash in this test'); }),
      checkpointBeforeApply: false,
      ignoreGap: false,
      applyWithoutVersionCheck: false,
    }, {}, cache);
  }

  /** A local write in us-east through a coordinator whose cache the receiver does not share. */
  async function localIncrement(key: string, delta: number): Promise<void> {
    const c = new Coordinator(db.redis, 'us-east', clock, { checkVersions: true, ackBeforeWrite: false, onCommit: () => undefined, onBackgroundError: () => undefined });
    await c.transact([key], ([snap], version) => {
      const r = applyLocal('pn-counter', snap.stored, { op: 'incr', delta }, c.ctx(version, snap.stored));
      if (!r.ok) throw new Error(r.message);
      return { writes: new Map([[key, r.stored]]), result: null };
    });
  }

  async function valueOf(key: string): Promise<unknown> {
    return read(decodeStored((await db.admin.hget(`rift:kv:${key}`, 's')) ?? '', key)).value;
  }

  beforeEach(() => {
    corrupt = [];
  });

  it('applies a run of keys it has never held in one call, without reading them first', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `new/k${i}`);
    const out = await receiver().apply('eu-west', increments(keys), 0);
    assert.deepEqual(out, { applied: 100 });
    assert.equal(await evalCalls(db.admin), 1, 'one apply call and no snapshot read');
    for (const k of keys) assert.equal(await valueOf(k), 1, k);
    assert.equal(await db.admin.hget('rift:applied', 'eu-west'), '100');
  });

  it('merges into states it holds but has not cached, and then reads such keys before applying', async () => {
    const first = Array.from({ length: 10 }, (_, i) => `held/a${i}`);
    const second = Array.from({ length: 10 }, (_, i) => `held/b${i}`);
    for (const k of [...first, ...second]) await localIncrement(k, 5);
    const r = receiver();
    await db.admin.config('RESETSTAT');
    assert.deepEqual(await r.apply('eu-west', increments(first), 0), { applied: 10 });
    for (const k of first) assert.equal(await valueOf(k), 6, `${k}: the local increments are kept`);
    assert.equal(await evalCalls(db.admin), 2, 'the apply that assumed the keys absent wrote nothing and returned their states for the retry');
    await db.admin.config('RESETSTAT');
    assert.deepEqual(await r.apply('eu-west', increments(second, 11), 10), { applied: 20 });
    for (const k of second) assert.equal(await valueOf(k), 6, k);
    assert.equal(await evalCalls(db.admin), 2, 'once assuming absence failed, a snapshot read and one apply');
  });

  it('a run mixing new keys with keys it holds uncached keeps every local state', async () => {
    const keys = Array.from({ length: 600 }, (_, i) => `mixed/k${i}`);
    for (const k of keys.filter((_, i) => i % 100 === 7)) await localIncrement(k, 5);
    assert.deepEqual(await receiver().apply('eu-west', increments(keys), 0), { applied: 600 });
    for (const [i, k] of keys.entries()) assert.equal(await valueOf(k), i % 100 === 7 ? 6 : 1, k);
  });

  it('a cached state made stale by a local write elsewhere costs a retry, never the local write', async () => {
    const cache = new StateCache();
    const r = receiver(cache);
    assert.deepEqual(await r.apply('eu-west', increments(['stale/k']), 0), { applied: 1 });
    cache.set('stale/k', { n: '1', stored: decodeStored((await db.admin.hget('rift:kv:stale/k', 's'))!, 'stale/k'), json: (await db.admin.hget('rift:kv:stale/k', 's'))! });
    await localIncrement('stale/k', 10);
    const next = remoteWrite('pn-counter', decodeStored((await db.admin.hget('rift:kv:stale/k', 's'))!, 'stale/k'), { op: 'incr', delta: 1 }, 'eu-west', 2);
    assert.deepEqual(await r.apply('eu-west', [{ seq: 2, ts: Date.now(), items: [{ key: 'stale/k', stored: next }] }], 1), { applied: 2 });
    assert.equal(await valueOf('stale/k'), 12);
    assert.equal(cache.get('stale/k')?.n, '3', 'the cache holds the state written');
  });

  it('a redelivered run changes nothing', async () => {
    const r = receiver();
    const entries = increments(['again/a', 'again/b']);
    await r.apply('eu-west', entries, 0);
    const before = await db.admin.hgetall('rift:kv:again/a');
    assert.deepEqual(await r.apply('eu-west', entries, 0), { applied: 2 });
    assert.deepEqual(await receiver().apply('eu-west', entries, 0), { applied: 2 }, 'nor does it to a fresh receiver that does not know the mark');
    assert.deepEqual(await db.admin.hgetall('rift:kv:again/a'), before);
  });

  it('a key holding data the layer did not write is replaced by the replicated state and reported', async () => {
    await db.admin.hset('rift:kv:foreign/k', 's', 'not json at all');
    assert.deepEqual(await receiver().apply('eu-west', increments(['foreign/k']), 0), { applied: 1 });
    assert.equal(await valueOf('foreign/k'), 1);
    assert.deepEqual(corrupt, ['foreign/k']);
  });
});
