import { strict as assert } from 'node:assert';
import { mapChecker } from '../../checkers/map.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

let clock = 0;
const hits = (delta: number) => ({ field: 'hits', type: 'pn-counter', op: { op: 'incr', delta } });
const tag = (element: number) => ({ field: 'tags', type: 'or-set', op: { op: 'add', element } });
const update = (process: number, value: unknown, region = 'a'): Op[] => [
  { type: 'invoke', process, f: 'map-update', key: 'map/k', value, time: clock++, region },
  { type: 'ok', process, f: 'map-update', key: 'map/k', value, time: clock++, region },
];
const finalRead = (process: number, value: unknown, region: string): Op[] => [
  { type: 'invoke', process, f: 'read', key: 'map/k', value: null, time: clock++, region, meta: { final: true } },
  { type: 'ok', process, f: 'read', key: 'map/k', value, time: clock++, region, meta: { final: true } },
];
const check = (ops: Op[]) => mapChecker().check(indexOps(ops), {});

describe('checkers/map', () => {
  const writes = [...update(0, hits(3), 'a'), ...update(1, hits(-1), 'b'), ...update(0, tag(1), 'a'), ...update(1, tag(2), 'b')];

  it('judges each field by its own type: a map every region reads whole and right is valid', async () => {
    const r = await check([...writes, ...finalRead(2, { hits: 2, tags: [1, 2] }, 'a'), ...finalRead(3, { tags: [2, 1], hits: 2 }, 'b')]);
    assert.equal(r.valid, true, r.reason);
    assert.deepEqual(Object.keys(r.fields as object), ['hits (pn-counter)', 'tags (or-set)']);
  });

  it('a region that lost the other side\'s increments or adds to a field is invalid, naming the field', async () => {
    const lostIncr = await check([...writes, ...finalRead(2, { hits: 3, tags: [1, 2] }, 'a'), ...finalRead(3, { hits: 3, tags: [1, 2] }, 'b')]);
    assert.equal(lostIncr.valid, false);
    assert.match(lostIncr.reason!, /hits \(pn-counter\): INVALID/);
    assert.match(lostIncr.reason!, /tags \(or-set\): valid/);
    const lostAdd = await check([...writes, ...finalRead(2, { hits: 2, tags: [2] }, 'a'), ...finalRead(3, { hits: 2, tags: [2] }, 'b')]);
    assert.equal(lostAdd.valid, false);
    assert.match(lostAdd.reason!, /tags \(or-set\): INVALID \(.*lost/);
  });

  it('an absent field reads as its type\'s empty value', async () => {
    const r = await check([...update(0, hits(1)), ...update(0, hits(-1)), ...finalRead(1, {}, 'a'), ...finalRead(2, null, 'b')]);
    assert.equal(r.valid, true, r.reason);
  });

  it('no map updates, or an update it cannot judge, is unknown with the reason', async () => {
    assert.equal((await check(finalRead(0, {}, 'a'))).valid, 'unknown');
    const r = await check([...update(0, { field: 'name', type: 'lww-register', op: { op: 'put', value: 'x' } }), ...finalRead(1, { name: 'x' }, 'a')]);
    assert.equal(r.valid, 'unknown');
    assert.match(r.reason!, /line 1: field "name": lww-register put is not judged/);
    const clash = await check([...update(0, hits(1)), ...update(0, { field: 'hits', type: 'or-set', op: { op: 'add', element: 1 } })]);
    assert.match(clash.reason!, /field "hits" is written as pn-counter and as or-set/);
  });
});
