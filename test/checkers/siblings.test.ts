import { strict as assert } from 'node:assert';
import { checkSiblings } from '../../checkers/siblings.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

let t = 0;
const tick = () => (t += 1e6);
const ver = (wall: number, region: string) => `${String(wall).padStart(16, '0')}.0000.${region}!${'1'.padStart(16, '0')}`;
const write = (process: number, v: number, region: string, version: string, vclock: Record<string, number>): Op[] => [
  { type: 'invoke', process, f: 'write', key: 's', value: v, time: tick(), region },
  { type: 'ok', process, f: 'write', key: 's', value: v, time: tick(), region, meta: { version, vclock } },
];
/** A final read as the layer answers it: one value, and the sibling list when there are several. */
const read = (process: number, value: unknown, region: string, siblings?: unknown[]): Op[] => [
  { type: 'invoke', process, f: 'read', key: 's', value: null, time: tick(), region, meta: { final: true } },
  { type: 'ok', process, f: 'read', key: 's', value, time: tick(), region, meta: { final: true, ...(siblings ? { siblings } : {}) } },
];

describe('checkers/siblings', () => {
  const concurrent = (): Op[] => [...write(0, 1, 'a', ver(10, 'a'), { a: 1 }), ...write(1, 2, 'b', ver(20, 'b'), { b: 1 })];

  it('valid: both concurrent writes survive as siblings and each read presents the later one', () => {
    const r = checkSiblings(indexOps([...concurrent(), ...read(2, 2, 'a', [1, 2]), ...read(3, 2, 'b', [1, 2])])) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.concurrentWrites, 2);
  });

  it('a single value without a sibling list is judged as a one-value read: a dropped sibling shows', () => {
    const r = checkSiblings(indexOps([...concurrent(), ...read(2, 2, 'a'), ...read(3, 2, 'b', [1, 2])])) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.lostSibling, 1);
  });

  it('a read presenting a sibling other than the latest is flagged', () => {
    const r = checkSiblings(indexOps([...concurrent(), ...read(2, 1, 'a', [1, 2]), ...read(3, 2, 'b', [1, 2])])) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.presented, 1);
    assert.deepEqual([r.presented[0].value, r.presented[0].expected], [1, 2]);
  });

  it('a write that saw the other replaces it: one value, no siblings', () => {
    const r = checkSiblings(indexOps([...write(0, 1, 'a', ver(10, 'a'), { a: 1 }), ...write(1, 2, 'b', ver(20, 'b'), { a: 1, b: 1 }), ...read(2, 2, 'a'), ...read(3, 2, 'b')])) as any;
    assert.equal(r.valid, true, r.reason);
  });
});
