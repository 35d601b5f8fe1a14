import { strict as assert } from 'node:assert';
import { buggyMerge } from '../../../layer/resolver/merge-bugs.ts';
import { orSet, orSetEffect, type OrSetState } from '../../../layer/resolver/or-set.ts';
import { pnCounter } from '../../../layer/resolver/pn-counter.ts';
import { mvRegister } from '../../../layer/resolver/mv-register.ts';
import { lww } from '../../../layer/resolver/lww.ts';
import { reject } from '../../../layer/resolver/reject.ts';
import { merge, read, type Ctx, type Stored } from '../../../layer/resolver/index.ts';
import type { ConcurrentWritesState } from '../../../layer/resolver/concurrent-writes.ts';
import type { WinnerState } from '../../../layer/resolver/winner.ts';

const ctx = (region: string, wall: number, vclock: Record<string, number>, seq = 1): Ctx => ({ region, version: { hlc: { wall, logical: 0 }, region, seq }, vclock });
const ok = <S>(r: { ok: true; state: S } | { ok: false }): S => {
  assert.ok(r.ok);
  return (r as { state: S }).state;
};

/** Each calibration merge mistake must change a merge the correct join gets right, and only when switched on. */
describe('layer/resolver merge bugs', () => {
  it('no bugs: every strategy keeps its own join', () => {
    for (const s of ['lww', 'lww-register', 'pn-counter', 'or-set', 'mv-register', 'siblings', 'map', 'reject'] as const) assert.equal(buggyMerge(s, {}), undefined);
  });

  it('counter-merge-sum counts a state received twice twice', () => {
    const s = ok(pnCounter.apply(undefined, { op: 'incr', delta: 3 }, ctx('a', 1, { a: 1 })));
    assert.equal(pnCounter.read(pnCounter.merge(s, s)).value, 3);
    const sum = buggyMerge('pn-counter', { counterMergeSum: true })!;
    assert.equal(pnCounter.read(sum(s as never, s as never) as never).value, 6);
  });

  it('or-set-remove-wins erases an add the remove never saw', () => {
    const added = ok(orSet.apply(undefined, { op: 'add', element: 'x' }, ctx('a', 1, { a: 1 })));
    // b saw a's add and removed x; c added x too without seeing a's add, then received it: x has dots a#1 and c#1.
    const removed = ok(orSet.apply(added, { op: 'remove', element: 'x' }, ctx('b', 2, { a: 1, b: 1 })));
    const readded = orSet.merge(ok(orSet.apply(undefined, { op: 'add', element: 'x' }, ctx('c', 2, { c: 1 }))), added);
    assert.deepEqual(orSet.read(orSet.merge(removed, readded)).value, ['x']);
    const wrong = buggyMerge('or-set', { orSetRemoveWins: true })!;
    assert.deepEqual(orSet.read(wrong(removed as never, readded as never) as OrSetState).value, []);
    assert.deepEqual(orSet.read(wrong(readded as never, removed as never) as OrSetState).value, []);
    // A plain replication (no remove) is unaffected.
    assert.deepEqual(orSet.read(wrong(added as never, readded as never) as OrSetState).value, ['x']);
  });

  it('mv-register-drops-sibling keeps only the later of two concurrent writes', () => {
    const a = ok(mvRegister.apply(undefined, { op: 'put', value: 'A' }, ctx('a', 1, { a: 1 })));
    const b = ok(mvRegister.apply(undefined, { op: 'put', value: 'B' }, ctx('b', 2, { b: 1 })));
    assert.deepEqual(mvRegister.read(mvRegister.merge(a, b)).value, ['A', 'B']);
    const wrong = buggyMerge('mv-register', { mvRegisterDropsSibling: true })!;
    assert.deepEqual(mvRegister.read(wrong(a as never, b as never) as ConcurrentWritesState).value, ['B']);
  });

  it('tie-break-local orders equal timestamps by which side holds them, so regions disagree', () => {
    const a = ok(lww.apply(undefined, { op: 'put', value: 'A' }, ctx('ap-south', 5, { 'ap-south': 1 })));
    const b = ok(lww.apply(undefined, { op: 'put', value: 'B' }, ctx('eu-west', 5, { 'eu-west': 1 })));
    assert.equal(lww.read(lww.merge(a, b)).value, 'B');
    assert.equal(lww.read(lww.merge(b, a)).value, 'B');
    const wrong = buggyMerge('lww', { tieBreakKeepsLocal: true })!;
    assert.equal(lww.read(wrong(a as never, b as never) as WinnerState).value, 'A');
    assert.equal(lww.read(wrong(b as never, a as never) as WinnerState).value, 'B');
    // Different timestamps still order by time.
    const later = ok(lww.apply(undefined, { op: 'put', value: 'L' }, ctx('ap-south', 6, { 'ap-south': 2 })));
    assert.equal(lww.read(wrong(b as never, later as never) as WinnerState).value, 'L');
  });

  it('index merge() applies the switched-on mistake', () => {
    const s = (state: unknown): Stored => ({ strategy: 'pn-counter', state, vclock: { a: 1 }, version: { hlc: { wall: 1, logical: 0 }, region: 'a', seq: 1 } });
    const c = s(ok(pnCounter.apply(undefined, { op: 'incr', delta: 2 }, ctx('a', 1, { a: 1 }))));
    assert.equal(read(merge(c, c).stored).value, 2);
    assert.equal(read(merge(c, c, { counterMergeSum: true }).stored).value, 4);
  });

  it('orSetEffect names the dot an add made and the dots an add or remove covered', () => {
    const first = ok(orSet.apply(undefined, { op: 'add', element: 'x' }, ctx('a', 1, { a: 1 })));
    assert.deepEqual(orSetEffect(undefined, first, 'x'), { dot: ['a', 1], covered: [] });
    const second = ok(orSet.apply(first, { op: 'add', element: 'x' }, ctx('a', 2, { a: 2 })));
    assert.deepEqual(orSetEffect(first, second, 'x'), { dot: ['a', 2], covered: [['a', 1]] });
    const gone = ok(orSet.apply(second, { op: 'remove', element: 'x' }, ctx('a', 3, { a: 3 })));
    assert.deepEqual(orSetEffect(second, gone, 'x'), { covered: [['a', 2]] });
    assert.deepEqual(orSetEffect(gone, ok(orSet.apply(gone, { op: 'remove', element: 'y' }, ctx('a', 4, { a: 4 }))), 'y'), { covered: [] });
  });

  it('write-once-keeps-latest keeps the later of two concurrent first writes', () => {
    const early = reject.apply(undefined, { op: 'put', value: 'early' }, ctx('a', 1, { a: 1 }));
    const late = reject.apply(undefined, { op: 'put', value: 'late' }, ctx('b', 2, { b: 1 }));
    assert.ok(early.ok && late.ok);
    assert.equal(reject.read(reject.merge(early.state, late.state)).value, 'early');
    const wrong = buggyMerge('reject', { writeOnceKeepsLatest: true })!;
    assert.equal(reject.read(wrong(early.state as never, late.state as never) as WinnerState).value, 'late');
    assert.equal(reject.read(wrong(late.state as never, early.state as never) as WinnerState).value, 'late');
  });
});
