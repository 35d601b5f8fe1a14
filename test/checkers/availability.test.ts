import { strict as assert } from 'node:assert';
import { computeAvailability, faultWindows } from '../../checkers/availability.ts';
import { undoneKinds } from '../../harness/core/faults.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const nem = (f: string, time: number, meta?: Record<string, unknown>): Op[] => [
  { type: 'invoke', process: 'nemesis', f, value: null, time },
  { type: 'info', process: 'nemesis', f, value: `${f} done`, time: time + 1, ...(meta ? { meta } : {}) },
];
const call = (process: number, region: string, time: number, type: 'ok' | 'fail' | 'info', meta?: Record<string, unknown>): Op[] => [
  { type: 'invoke', process, f: 'read', key: 'x', value: null, time, region, ...(meta ? { meta } : {}) },
  { type, process, f: 'read', key: 'x', value: null, time: time + 5, region },
];

describe('checkers/availability', () => {
  it('maps undo ops to the kinds they end', () => {
    assert.deepEqual(undoneKinds('heal'), ['partition']);
    assert.deepEqual(undoneKinds('restart'), ['kill']);
    assert.deepEqual(undoneKinds('clear-clock-skew'), ['clock-skew']);
    assert.deepEqual(undoneKinds('heal-failover'), ['failover', 'partition']);
    assert.deepEqual(undoneKinds('heal-black-hole'), ['black-hole']);
    assert.deepEqual(undoneKinds('partition'), []);
    assert.deepEqual(undoneKinds('toString'), []);
  });

  it('builds windows from info times, skipping faults that did not take effect, leaving unhealed ones open', () => {
    const h = indexOps([
      ...nem('partition', 100),
      ...nem('kill', 150, { tookEffect: false }),
      ...nem('latency', 160),
      ...nem('heal', 200),
      ...nem('clear-latency', 300, { tookEffect: false }),
      ...nem('pause', 400),
    ]);
    const ws = faultWindows(h);
    assert.deepEqual(ws.map((w) => [w.kind, w.start, w.end]), [
      ['partition', 101, 201],
      ['latency', 161, undefined],
      ['pause', 401, undefined],
    ]);
    assert.equal(ws[0].startLine, 2);
    assert.equal(ws[0].endLine, 8);
  });

  it('splits ok fractions per region inside and outside windows, ignoring probes', () => {
    const h = indexOps([
      ...call(0, 'a', 10, 'ok'),
      ...call(1, 'b', 10, 'ok'),
      ...nem('partition', 100),
      ...call(0, 'a', 120, 'ok'),
      ...call(1, 'b', 120, 'fail'),
      ...call(2, 'b', 130, 'info'),
      ...call(3, 'b', 140, 'info', { probe: true }),
      ...nem('heal', 200),
      ...call(0, 'a', 300, 'ok'),
      ...call(1, 'b', 300, 'fail'),
    ]);
    const r = computeAvailability(h) as any;
    assert.equal(r.valid, true);
    assert.deepEqual(r.regions.a.inside, { ok: 1, total: 1, fraction: 1 });
    assert.deepEqual(r.regions.b.inside, { ok: 0, total: 2, fraction: 0 });
    assert.deepEqual(r.regions.b.outside, { ok: 1, total: 2, fraction: 0.5 });
    assert.deepEqual(r.regions.b.byKind.partition, { ok: 0, total: 2, fraction: 0 });
    assert.deepEqual(r.overall.inside, { ok: 1, total: 3, fraction: 1 / 3 });
    assert.match(String(r.reason), /inside \(1 window\)$/);
    const strict = computeAvailability(h, { minOutside: 0.9 });
    assert.equal(strict.valid, false);
    assert.match(String(strict.reason), /\bb\b/);
  });
});
