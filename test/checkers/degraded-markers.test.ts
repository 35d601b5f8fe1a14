import { strict as assert } from 'node:assert';
import { checkDegradedMarkers } from '../../checkers/degraded-markers.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const S = 1e9;
const REGIONS = ['a', 'b', 'c'];
const nemesis = (f: string, value: unknown, at: number): Op[] => [
  { type: 'invoke', process: 'nemesis', f, value, time: at },
  { type: 'info', process: 'nemesis', f, value, time: at + 0.01 * S, meta: { tookEffect: true } },
];
const write = (process: number, region: string, at: number, marked: boolean, key = 'set/x', f = 'add'): Op[] => [
  { type: 'invoke', process, f, key, value: process, time: at, region },
  { type: 'ok', process, f, key, value: process, time: at + 0.05 * S, region, ...(marked ? { meta: { conflictMarker: true } } : {}) },
];
const isolateA = { shape: 'isolate', groups: [['a'], ['b', 'c']], mode: 'clean' };
const check = (ops: Op[]) => checkDegradedMarkers(indexOps(ops), { regions: REGIONS }) as Record<string, any>;

describe('checkers/degraded-markers', () => {
  it('judges writes of a region cut off from a majority, after the grace and before the heal', () => {
    const r = check([
      ...nemesis('partition', isolateA, 10 * S),
      ...write(0, 'a', 11.2 * S, false), // within the grace: the region may not know yet
      ...write(1, 'a', 13 * S, true),
      ...write(2, 'b', 13 * S, false), // the majority side owes no marker
      ...write(3, 'a', 14 * S, true, 'critical/k', 'write'), // critical keys refuse below quorum instead
      ...write(4, 'a', 19.8 * S, false), // too close to the heal
      ...nemesis('heal', null, 20 * S),
      ...write(5, 'a', 25 * S, false),
    ]);
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.judged, 1);
  });

  it('an unmarked write below quorum breaks the promise', () => {
    const r = check([...nemesis('partition', isolateA, 10 * S), ...write(0, 'a', 13 * S, false), ...write(1, 'a', 14 * S, true), ...nemesis('heal', null, 20 * S)]);
    assert.equal(r.valid, false);
    assert.deepEqual([r.judged, r.unmarked, r.unmarkedWrites[0].line], [2, 1, 4]);
    const del = check([...nemesis('partition', isolateA, 10 * S), ...write(0, 'a', 13 * S, false, 'lwwreg/x', 'delete'), ...nemesis('heal', null, 20 * S)]);
    assert.deepEqual([del.valid, del.judged], [false, 1], 'a delete is a write, and owes its marker too');
  });

  it('counts killed and paused peers as gone, and a partition that leaves a majority reachable as no cut', () => {
    const killed = check([...nemesis('kill', 'b', 10 * S), ...nemesis('partition', { shape: 'isolate', groups: [['c'], ['a', 'b']], mode: 'clean' }, 11 * S), ...write(0, 'a', 14 * S, false)]);
    assert.equal(killed.valid, false, 'a, with b dead and c cut off, is alone');
    const bridge = check([...nemesis('partition', { shape: 'bridge', groups: [['a', 'b'], ['b', 'c']], mode: 'clean' }, 10 * S), ...write(0, 'b', 14 * S, false), ...write(1, 'a', 14 * S, false)]);
    assert.equal(bridge.judged, 0, 'every region still reaches a majority through the bridge');
  });

  it('a partition it cannot read leaves its time unjudged; no cut at all owes nothing', () => {
    assert.equal(check([...nemesis('partition', 'majority', 10 * S), ...write(0, 'a', 14 * S, false)]).judged, 0);
    const none = check(write(0, 'a', 1 * S, false));
    assert.deepEqual([none.valid, none.judged], [true, 0]);
  });

  it('a topology change inside a write\'s span is judged at each step: a restart mid-write lifts the requirement', () => {
    const r = check([
      ...nemesis('kill', 'b', 10 * S),
      ...nemesis('kill', 'c', 10.1 * S),
      ...write(0, 'a', 13 * S, false),
      ...nemesis('restart', 'c', 13.2 * S),
      ...write(1, 'a', 16 * S, false),
    ]);
    assert.equal(r.judged, 0, JSON.stringify(r));
  });

  it('a fault is over once its undoing is asked for, though the nemesis records it done later', () => {
    const slowHeal: Op[] = [
      { type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: 20 * S },
      { type: 'info', process: 'nemesis', f: 'heal', value: null, time: 21 * S, meta: { tookEffect: true } },
    ];
    const r = check([...nemesis('partition', isolateA, 10 * S), ...write(0, 'a', 13 * S, true), ...write(1, 'a', 20.2 * S, false), ...slowHeal]);
    assert.deepEqual([r.valid, r.judged], [true, 1]);
  });

  it('a one-way cut leaves the region that cannot send below quorum, and not the regions that can still call it', () => {
    const oneWay = { shape: 'asymmetric', groups: [['c'], ['a', 'b']], mode: 'clean' };
    const r = check([...nemesis('partition', oneWay, 10 * S), ...nemesis('kill', 'a', 11 * S), ...write(0, 'c', 14 * S, true), ...write(1, 'b', 14 * S, false)]);
    assert.deepEqual([r.valid, r.judged], [true, 1], 'b, with a dead, still calls c; c calls nobody');
  });
});
