import { strict as assert } from 'node:assert';
import { checkSet, setChecker } from '../../checkers/set.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
const MS = 1e6;
let t = 0;
const tick = () => (t += MS);
const add = (process: number, e: unknown, type: T, region = 'a'): Op[] => [
  { type: 'invoke', process, f: 'add', key: 's', value: e, time: tick(), region },
  { type, process, f: 'add', key: 's', value: e, time: tick(), region },
];
const read = (process: number, value: unknown[], region = 'a', final = false): Op[] => [
  { type: 'invoke', process, f: 'read', key: 's', value: null, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
  { type: 'ok', process, f: 'read', key: 's', value, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
];

describe('checkers/set', () => {
  it('valid: acknowledged adds present in every region, info add recovered, replication lag measured', () => {
    const h = indexOps([
      ...add(0, 1, 'ok', 'a'),
      ...read(1, [], 'b'),
      ...read(1, [1], 'b'),
      ...add(0, 2, 'info', 'a'),
      ...add(2, 3, 'fail', 'a'),
      ...read(3, [1, 2], 'a', true),
      ...read(4, [2, 1], 'b', true),
    ]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.recovered, 2);
    assert.equal(r.counts.lost, 0);
    assert.equal(r.counts.stale, 1);
    // 1 became known at its ack (2 ms); the last read in b without it was invoked at 3 ms: lag 1 ms + 1 ns.
    assert.equal(r.stale[0].region, 'b');
    assert.ok(Math.abs(r.stale[0].latencyMs - 1.000001) < 1e-9);
    assert.equal(r.latencyMs.byRegion.b.p100, r.stale[0].latencyMs);
    assert.equal(r.latencyMs.byRegion.a.p100, 0);
  });

  it('lost: an acknowledged add missing from one region\'s final read', () => {
    const h = indexOps([...add(0, 1, 'ok', 'a'), ...read(3, [1], 'a', true), ...read(4, [], 'b', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.lost, 1);
    assert.deepEqual([r.lost[0].element, r.lost[0].region, r.lost[0].lastAbsentLine, r.lost[0].addLine], [1, 'b', 6, 2]);
  });

  it('lost: an element once read, then gone from a final read, even if its add was indeterminate', () => {
    const h = indexOps([...add(0, 7, 'info', 'a'), ...read(1, [7], 'b'), ...read(1, [], 'b', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.lost[0].lastPresentLine, 4);
  });

  it('an indeterminate add that never shows up is not lost', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...add(0, 2, 'info'), ...read(3, [1], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true);
    assert.equal(r.counts.neverRead, 1);
  });

  it('unexpected: an element never added, and one whose add failed', () => {
    const h = indexOps([...add(0, 1, 'fail'), ...read(3, [1, 9], 'a')]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.unexpected, 2);
    assert.deepEqual(r.unexpected.map((u: any) => [u.element, u.failedAddLine]), [[1, 1], [9, undefined]]);
  });

  it('duplicates in one read', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(3, [1, 1], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.duplicates[0], { key: 's', element: 1, line: 4, region: 'a' });
  });

  it('stale reads are lag for an eventual set but a violation for a linearizable one', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(1, [], 'a'), ...read(1, [1], 'a', true)]);
    assert.equal(checkSet(h).valid, true);
    assert.equal(checkSet(h, { linearizable: true }).valid, false);
  });

  it('without final reads a missing element is absent-at-end, not lost, and that is said', () => {
    const h = indexOps([...add(0, 1, 'ok', 'a'), ...read(1, [], 'b'), ...read(2, [1], 'a')]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true);
    assert.equal(r.counts.absentAtEnd, 1);
    assert.match(r.unchecked.join(' '), /no final reads/);
  });

  it('unknown with no reads; removed elements are excluded from loss analysis', async () => {
    assert.equal((await setChecker().check(indexOps(add(0, 1, 'ok')), {})).valid, 'unknown');
    const h = indexOps([
      ...add(0, 1, 'ok'), ...add(0, 2, 'ok'),
      { type: 'invoke', process: 0, f: 'remove', key: 's', value: 1, time: tick() },
      { type: 'ok', process: 0, f: 'remove', key: 's', value: 1, time: tick() },
      ...read(1, [2], 'a', true),
    ]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.match(r.unchecked[0], /removed/);
  });

  it('a read that is not an array is malformed: unknown, with the line', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(1, 5 as unknown as unknown[], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.malformed[0].line, 4);
  });
});
