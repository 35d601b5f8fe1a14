import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonicalJson, canonicalValue, sameJson } from '../../../layer/resolver/canonical-json.ts';

describe('layer/resolver/canonical-json', () => {
  it('sorts keys at every depth', () => {
    assert.equal(canonicalJson({ b: [{ d: 1, c: 2 }], a: null }), '{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it('depends only on the value: equal values give equal text, and it parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const shuffled = JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x)));
        assert.equal(canonicalJson(shuffled), canonicalJson(v));
        assert.deepEqual(canonicalValue(v), JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('canonicalValue gives what the text round trip gives, key order included, and leaves its input alone (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', '', '0', '1', '9', '10', '01', '-1', '4294967294', '4294967295', 'a', 'b'));
    const json = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, false, 0, -0, 1.5, -3, 1e21),
        fc.string(),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(json, (generated) => {
        const v = JSON.parse(JSON.stringify(generated)) as unknown;
        const before = JSON.stringify(v);
        const viaText = JSON.parse(canonicalJson(v)) as unknown;
        const got = canonicalValue(v);
        assert.equal(JSON.stringify(got), JSON.stringify(viaText));
        assert.deepEqual(got, viaText);
        assert.equal(JSON.stringify(v), before);
      }),
      { numRuns: 2000 },
    );
    assert.ok(Object.is((canonicalValue({ a: [-0] }) as { a: number[] }).a[0], 0), '-0 becomes 0, as in JSON text');
    const proto = canonicalValue(JSON.parse('{"b":1,"__proto__":{"x":1}}')) as object;
    assert.deepEqual(Object.keys(proto), ['__proto__', 'b'], 'an own "__proto__" key stays a key');
    assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  });

  it('sameJson on canonical values is equality of their canonical text (property)', () => {
    const canon = fc.jsonValue().map((v) => canonicalValue(v));
    fc.assert(
      fc.property(canon, canon, (a, b) => {
        assert.equal(sameJson(a, b), canonicalJson(a) === canonicalJson(b));
        assert.equal(sameJson(a, canonicalValue(JSON.parse(JSON.stringify(a)))), true, 'a copy is the same');
      }),
    );
    assert.equal(sameJson({ a: [1, { b: null }] }, { a: [1, { b: null }] }), true);
    assert.equal(sameJson({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(sameJson([1], { 0: 1 }), false);
  });

  it('names the path of a value JSON cannot carry', () => {
    assert.throws(() => canonicalJson({ a: [1, Infinity] }), /value\.a\[1\]: Infinity is not representable in JSON/);
    assert.throws(() => canonicalJson({ a: undefined }), /value\.a: undefined is not a JSON value/);
    assert.throws(() => canonicalJson(1n, 'element'), /element: bigint is not a JSON value/);
    assert.throws(() => canonicalValue({ b: 1, a: [NaN] }), /value\.a\[0\]: NaN is not representable in JSON/);
    assert.throws(() => canonicalValue({ a: undefined }), /value\.a: undefined is not a JSON value/);
  });
});
