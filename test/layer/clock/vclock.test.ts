import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseVClock, vcCompare, vcDominates, vcIncrement, vcMerge, type VClock } from '../../../layer/clock/vclock.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];
const vcArb: fc.Arbitrary<VClock> = fc
  .array(fc.tuple(fc.constantFrom(...REGIONS), fc.nat({ max: 4 })), { maxLength: 4 })
  .map((es) => Object.fromEntries(es));

const flip = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;

describe('layer/clock/vclock', () => {
  it('compares the four ways', () => {
    assert.equal(vcCompare({ a: 1 }, { a: 2 }), 'before');
    assert.equal(vcCompare({ a: 2, b: 1 }, { a: 2 }), 'after');
    assert.equal(vcCompare({ a: 0 }, {}), 'equal');
    assert.equal(vcCompare({ a: 1 }, { b: 1 }), 'concurrent');
  });

  it('is reflexive, antisymmetric and transitive (properties)', () => {
    fc.assert(fc.property(vcArb, (a) => assert.equal(vcCompare(a, a), 'equal')));
    fc.assert(
      fc.property(vcArb, vcArb, (a, b) => {
        assert.equal(vcCompare(b, a), flip[vcCompare(a, b)]);
        if (vcDominates(a, b) && vcDominates(b, a)) assert.deepEqual(vcMerge(a, {}), vcMerge(b, {}));
      }),
    );
    fc.assert(
      fc.property(vcArb, vcArb, vcArb, (a, b, c) => {
        if (vcDominates(a, b) && vcDominates(b, c)) assert.ok(vcDominates(a, c));
        if (vcCompare(a, b) === 'after' && vcCompare(b, c) === 'after') assert.equal(vcCompare(a, c), 'after');
      }),
    );
  });

  it('merge is the least upper bound (property)', () => {
    fc.assert(
      fc.property(vcArb, vcArb, vcArb, (a, b, c) => {
        const m = vcMerge(a, b);
        assert.ok(vcDominates(m, a) && vcDominates(m, b), 'upper bound');
        if (vcDominates(c, a) && vcDominates(c, b)) assert.ok(vcDominates(c, m), 'least');
        assert.deepEqual(m, vcMerge(b, a));
        assert.deepEqual(vcMerge(vcMerge(a, b), c), vcMerge(a, vcMerge(b, c)));
        assert.deepEqual(vcMerge(m, m), m);
      }),
    );
  });

  it('increment strictly dominates (property)', () => {
    fc.assert(
      fc.property(vcArb, fc.constantFrom(...REGIONS), (a, r) => {
        const i = vcIncrement(a, r);
        assert.equal(vcCompare(i, a), 'after');
        assert.equal((i[r] ?? 0) - (a[r] ?? 0), 1);
      }),
    );
  });

  it('returns canonical clocks: sorted, no zeros, equal clocks serialise equally', () => {
    assert.equal(JSON.stringify(vcMerge({ b: 1, a: 0 }, { c: 2 })), '{"b":1,"c":2}');
    assert.equal(JSON.stringify(vcIncrement({ z: 1, b: 2 }, 'a')), '{"a":1,"b":2,"z":1}');
    fc.assert(fc.property(vcArb, vcArb, (a, b) => assert.equal(JSON.stringify(vcMerge(a, b)), JSON.stringify(vcMerge(b, a)))));
  });

  it('parseVClock gives the canonical clock whatever the input order, digit-only regions included (property)', () => {
    const names = fc.constantFrom('us-east', 'eu-west', 'ap-south', 'a', 'b', '1', '2', '10', '01');
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.nat({ max: 3 })), { maxLength: 6 }), (es) => {
        const input = JSON.parse(JSON.stringify(Object.fromEntries(es))) as Record<string, number>;
        const sorted = Object.entries(input).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const parsed = parseVClock(input, 'v');
        assert.equal(JSON.stringify(parsed), JSON.stringify(Object.fromEntries(sorted)));
        assert.notEqual(parsed, input, 'a copy: the caller may hold on to its input');
      }),
    );
  });

  it('parseVClock rejects bad input naming the field', () => {
    assert.throws(() => parseVClock([1], 'body.vclock'), /body\.vclock: expected an object/);
    assert.throws(() => parseVClock({ a: -1 }, 'body.vclock'), /body\.vclock\.a: expected a non-negative integer/);
    assert.throws(() => parseVClock(JSON.parse('{"__proto__":1}'), 'body.vclock'), /body\.vclock: region must match/);
    assert.throws(() => vcIncrement({}, 'no spaces'), /vcIncrement: region must match/);
    assert.deepEqual(parseVClock({ b: 2, a: 0 }, 'v'), { b: 2 });
  });
});
