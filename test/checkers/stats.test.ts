import { strict as assert } from 'node:assert';
import { computeStats, quantile, statsChecker } from '../../checkers/stats.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const MS = 1e6;
const S = 1e9;

describe('checkers/stats', () => {
  it('nearest-rank quantiles', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(quantile(xs, 0.5), 5);
    assert.equal(quantile(xs, 0.95), 10);
    assert.equal(quantile(xs, 0), 1);
    assert.equal(quantile([], 0.5), undefined);
  });

  it('counts outcomes per f and region, latencies of ok ops, and throughput per second', async () => {
    const ops: Op[] = [
      { type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 0, region: 'a' },
      { type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 1 * MS, region: 'b' },
      { type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 10 * MS, region: 'a' },
      { type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 21 * MS, region: 'b' },
      { type: 'invoke', process: 'nemesis', f: 'partition', value: null, time: 30 * MS },
      { type: 'info', process: 'nemesis', f: 'partition', value: 'cut', time: 31 * MS },
      { type: 'invoke', process: 0, f: 'write', key: 'x', value: 2, time: 1.5 * S, region: 'a' },
      { type: 'fail', process: 0, f: 'write', key: 'x', value: 2, time: 1.6 * S, region: 'a', error: 'refused' },
      { type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 3.2 * S, region: 'b' },
      { type: 'invoke', process: 9, f: 'digest', value: null, time: 3.3 * S, region: 'a', meta: { probe: true } },
      { type: 'ok', process: 9, f: 'digest', value: { digest: 'x' }, time: 3.4 * S, region: 'a', meta: { probe: true } },
    ];
    const r = computeStats(indexOps(ops));
    assert.equal(r.valid, true);
    assert.deepEqual(r.total, { ok: 2, fail: 1, info: 1 });
    assert.deepEqual(r.probes, { ok: 1, fail: 0, info: 0 });
    assert.equal(r.byF.digest, undefined);
    assert.deepEqual(r.byF.write, { ok: 1, fail: 1, info: 0 });
    assert.deepEqual(r.byF.read, { ok: 1, fail: 0, info: 1 });
    assert.deepEqual(r.byRegion.a, { ok: 1, fail: 1, info: 0 });
    assert.deepEqual(r.byRegion.b, { ok: 1, fail: 0, info: 1 });
    assert.equal(r.latencyMs.write.count, 1);
    assert.equal(r.latencyMs.write.max, 10);
    assert.equal(r.latencyMs.read.p50, 20);
    assert.deepEqual(r.throughput, [
      { second: 0, ok: 2, fail: 0, info: 0 },
      { second: 1, ok: 0, fail: 1, info: 0 },
      { second: 2, ok: 0, fail: 0, info: 0 },
      { second: 3, ok: 0, fail: 0, info: 1 },
    ]);
    assert.doesNotThrow(() => JSON.stringify(r));
  });

  it('is exposed as a named checker; with no ok client operation it has no figures to vouch for (unknown)', async () => {
    const c = statsChecker();
    assert.equal(c.name, 'stats');
    const r = await c.check([], {});
    assert.equal(r.valid, 'unknown');
    assert.match(String(r.reason), /too little data: 0 ok client operations/);
    assert.deepEqual(r.throughput, []);
  });
});
