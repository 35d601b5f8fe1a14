import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { pathologicalHistory, pathologicalOps } from './pathological.ts';

/** A small partition that is plainly illegal: a read after a completed write returns the old value. */
function staleRead(key: string, p: number): Op[] {
  return [
    { type: 'invoke', process: p, f: 'write', key, value: 1, time: 0 },
    { type: 'ok', process: p, f: 'write', key, value: 1, time: 0 },
    { type: 'invoke', process: p, f: 'read', key, value: null, time: 0 },
    { type: 'ok', process: p, f: 'read', key, value: null, time: 0 },
  ];
}

/** Many small valid partitions, to push a history over the size where worker threads are used. */
function filler(keys: number, from: number): Op[] {
  const ops: Op[] = [];
  for (let k = 0; k < keys; k++) {
    const p = from + k;
    ops.push({ type: 'invoke', process: p, f: 'write', key: `f${k}`, value: k, time: 0 });
    ops.push({ type: 'ok', process: p, f: 'write', key: `f${k}`, value: k, time: 0 });
    ops.push({ type: 'invoke', process: p, f: 'read', key: `f${k}`, value: null, time: 0 });
    ops.push({ type: 'ok', process: p, f: 'read', key: `f${k}`, value: k, time: 0 });
  }
  return ops;
}

describe('linearizable: budgets and stopping', function () {
  this.timeout(10_000);

  it('a pathological history with a 2 s budget gives unknown, reason timeout', async () => {
    const r = await checkLinearizable(pathologicalHistory(40), { model: 'register', budgetMs: 2000, workers: 1 });
    assert.equal(r.valid, 'unknown');
    assert.equal(r.reason, 'timeout');
    const part = (r.partitions as Record<string, { reason: string; stats: { cacheEntries: number } }>).x;
    assert.equal(part.reason, 'timeout');
    assert.ok(part.stats.cacheEntries > 1000, 'the search really ran before the budget stopped it');
  });

  it('the cache-entry cap stops the search with unknown, reason memory', async () => {
    const r = await checkLinearizable(pathologicalHistory(40), { model: 'register', maxCacheEntries: 20_000, workers: 1 });
    assert.equal(r.valid, 'unknown');
    assert.equal(r.reason, 'memory');
    assert.ok((r.stats as { cacheEntries: number }).cacheEntries <= 20_000);
  });

  it('the byte cap stops the search with unknown, reason memory', async () => {
    const r = await checkLinearizable(pathologicalHistory(40), { model: 'register', maxCacheBytes: 1 << 20, workers: 1 });
    assert.equal(r.reason, 'memory');
  });

  it('an abort signal stops the search with unknown, reason aborted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await checkLinearizable(pathologicalHistory(40), { model: 'register', signal: ac.signal, workers: 1 });
    assert.equal(r.valid, 'unknown');
    assert.equal(r.reason, 'aborted');
  });

  for (const workers of [1, 2]) {
    // One thread stops at once (grace 0); two threads after a short grace, which the timer must end.
    it(`an illegal partition stops a pathological one without any budget (${workers} thread${workers > 1 ? 's' : ''})`, async () => {
      const ops = [...pathologicalOps(40, 'hard', 0), ...filler(300, 100), ...staleRead('easy', 1000)];
      const r = await checkLinearizable(indexOps(ops), { model: 'register', workers, parallelAfterMs: 0, afterIllegalMs: workers === 1 ? 0 : 200 });
      assert.equal(r.valid, false);
      const parts = r.partitions as Record<string, { valid: unknown; reason?: string }>;
      assert.equal(parts.easy.valid, false);
      assert.equal(parts.hard.valid, 'unknown');
      assert.equal(parts.hard.reason, 'stopped');
      if (workers === 2) assert.equal((r.stats as { workers: number }).workers, 2);
    });
  }

  for (const workers of [1, 2]) {
    it(`reports every key that is not linearizable, not only the first (${workers} thread${workers > 1 ? 's' : ''})`, async () => {
      const ops = [...staleRead('a', 0), ...filler(300, 100), ...staleRead('b', 1000), ...staleRead('c', 2000)];
      const r = await checkLinearizable(indexOps(ops), { model: 'register', workers, parallelAfterMs: 0 });
      assert.equal(r.valid, false);
      assert.deepEqual([...(r.illegalKeys as string[])].sort(), ['a', 'b', 'c']);
      assert.deepEqual(r.undecidedKeys, []);
      assert.match(r.reason!, /and 2 more keys not linearizable/);
    });
  }

  it('with a budget, keeps checking the other keys after an illegal one until the budget runs out', async function () {
    this.timeout(30_000);
    const ops = [...pathologicalOps(40, 'hard', 0), ...staleRead('easy', 1000)];
    const r = await checkLinearizable(indexOps(ops), { model: 'register', workers: 1, budgetMs: 1500, afterIllegalMs: 1 });
    const parts = r.partitions as Record<string, { valid: unknown; reason?: string }>;
    assert.equal(parts.easy.valid, false);
    assert.equal(parts.hard.reason, 'timeout', 'the budget, not the grace after the first bad key, ended the hard key');
    assert.deepEqual(r.undecidedKeys, ['hard']);
  });

  it('a worker thread really decides partitions, without errors', async function () {
    this.timeout(30_000);
    let onWorkers = 0;
    // The worker may still be starting while the calling thread claims everything; a later run finds it ready.
    for (let attempt = 0; attempt < 5 && onWorkers === 0; attempt++) {
      const r = await checkLinearizable(indexOps([...filler(400, 0), ...staleRead('late', 5000)]), { model: 'register', workers: 2, parallelAfterMs: 0 });
      const stats = r.stats as { decidedOnWorkers: number; workerErrors?: string[] };
      assert.equal(stats.workerErrors, undefined);
      assert.equal(r.valid, false);
      onWorkers = stats.decidedOnWorkers;
    }
    assert.ok(onWorkers > 0, 'no partition was decided on the worker thread');
  });

  it('helpers join only once the check has run parallelAfterMs on the calling thread', async () => {
    const ops = indexOps([...filler(400, 0), ...staleRead('late', 5000)]);
    const alone = await checkLinearizable(ops, { model: 'register', workers: 2, parallelAfterMs: 60_000 });
    assert.equal(alone.valid, false);
    assert.deepEqual([(alone.stats as { workers: number }).workers, (alone.stats as { decidedOnWorkers: number }).decidedOnWorkers], [1, 0]);
    const eager = await checkLinearizable(ops, { model: 'register', workers: 2, parallelAfterMs: 0 });
    assert.equal(eager.valid, false);
    assert.equal((eager.stats as { workers: number }).workers, 2);
  });
});
