import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, merge, read } from '../../../layer/resolver/index.ts';
import { crdtLaws } from './laws.ts';

const ctx = (region: string, n: number) => ({ region, version: { hlc: { wall: n, logical: 0 }, region, seq: n }, vclock: { [region]: n } });

describe('layer/resolver/pn-counter', () => {
  crdtLaws('pn-counter', fc.record({ op: fc.constant('incr' as const), delta: fc.integer({ min: -5, max: 5 }) }, { noNullPrototype: true }));

  it('concurrent increments and decrements all count', () => {
    const a1 = applyLocal('pn-counter', undefined, { op: 'incr', delta: 5 }, ctx('us-east', 1));
    assert.ok(a1.ok);
    const a2 = applyLocal('pn-counter', a1.stored, { op: 'incr', delta: -2 }, ctx('us-east', 2));
    const b = applyLocal('pn-counter', undefined, { op: 'incr', delta: 7 }, ctx('eu-west', 1));
    assert.ok(a2.ok && b.ok);
    const m = merge(a2.stored, b.stored);
    assert.equal(read(m.stored).value, 10);
    assert.equal(m.conflict, true, 'concurrent by vclock, though nothing is lost');
    assert.equal(m.stored.conflict, undefined);
    assert.deepEqual(m.stored.state, { p: { 'eu-west': 7, 'us-east': 5 }, n: { 'us-east': 2 } });
  });

  it('refuses fractional deltas, overflow and non-counter operations with a reason', () => {
    const f = applyLocal('pn-counter', undefined, { op: 'incr', delta: 0.5 }, ctx('us-east', 1));
    assert.deepEqual(f, { ok: false, error: 'rejected', message: 'incr delta must be an integer, got 0.5' });
    const big = applyLocal('pn-counter', undefined, { op: 'incr', delta: Number.MAX_SAFE_INTEGER }, ctx('us-east', 1));
    assert.ok(big.ok);
    const over = applyLocal('pn-counter', big.stored, { op: 'incr', delta: 1 }, ctx('us-east', 2));
    assert.equal(!over.ok && over.error, 'rejected');
    assert.match(!over.ok ? over.message : '', /overflow/);
    const put = applyLocal('pn-counter', undefined, { op: 'put', value: 1 }, ctx('us-east', 1));
    assert.equal(!put.ok && put.error, 'wrong-type');
  });
});
