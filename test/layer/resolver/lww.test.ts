import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, merge, read, type LocalOp } from '../../../layer/resolver/index.ts';
import { crdtLaws } from './laws.ts';

const ctx = (region: string, wall: number, vclock: Record<string, number>) => ({ region, version: { hlc: { wall, logical: 0 }, region, seq: 1 }, vclock });

describe('layer/resolver/lww', () => {
  const opArb: fc.Arbitrary<LocalOp> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), value: fc.oneof(fc.nat({ max: 9 }), fc.constant({ b: 1, a: [2] })) }, { noNullPrototype: true }) },
    { weight: 1, arbitrary: fc.constant({ op: 'delete' as const }) },
  );
  crdtLaws('lww', opArb);

  it('the later version wins in both merge orders and the concurrent write is flagged', () => {
    const a = applyLocal('lww', undefined, { op: 'put', value: 'a' }, ctx('us-east', 10, { 'us-east': 1 }));
    const b = applyLocal('lww', undefined, { op: 'put', value: 'b' }, ctx('eu-west', 20, { 'eu-west': 1 }));
    assert.ok(a.ok && b.ok);
    for (const [x, y] of [[a.stored, b.stored], [b.stored, a.stored]]) {
      const r = merge(x, y);
      assert.equal(read(r.stored).value, 'b');
      assert.equal(r.conflict, true);
      assert.equal(r.stored.conflict, true);
    }
  });

  it('a delete is a tombstone that beats an older put and clears the conflict once it has seen everything', () => {
    const a = applyLocal('lww', undefined, { op: 'put', value: 'a' }, ctx('us-east', 10, { 'us-east': 1 }));
    const b = applyLocal('lww', undefined, { op: 'put', value: 'b' }, ctx('eu-west', 20, { 'eu-west': 1 }));
    assert.ok(a.ok && b.ok);
    const both = merge(a.stored, b.stored).stored;
    const d = applyLocal('lww', both, { op: 'delete' }, ctx('us-east', 30, { 'us-east': 2, 'eu-west': 1 }));
    assert.ok(d.ok);
    assert.equal(read(d.stored).value, null);
    assert.equal(d.stored.conflict, undefined);
    assert.equal(read(merge(d.stored, a.stored).stored).value, null, 'the older put does not resurrect');
  });

  it('ties on HLC break by region name, the same way everywhere', () => {
    const a = applyLocal('lww', undefined, { op: 'put', value: 'a' }, ctx('ap-south', 10, { 'ap-south': 1 }));
    const b = applyLocal('lww', undefined, { op: 'put', value: 'b' }, ctx('us-east', 10, { 'us-east': 1 }));
    assert.ok(a.ok && b.ok);
    assert.equal(read(merge(a.stored, b.stored).stored).value, 'b');
    assert.equal(read(merge(b.stored, a.stored).stored).value, 'b');
  });

  it('refuses counter and set operations', () => {
    const r = applyLocal('lww', undefined, { op: 'incr', delta: 1 }, ctx('us-east', 1, { 'us-east': 1 }));
    assert.deepEqual(r, { ok: false, error: 'wrong-type', message: "operation 'incr' does not apply to a lww key" });
  });
});
