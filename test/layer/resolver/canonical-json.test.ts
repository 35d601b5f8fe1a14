import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonicalJson, canonicalValue } from '../../../layer/resolver/canonical-json.ts';

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

  it('names the path of a value JSON cannot carry', () => {
    assert.throws(() => canonicalJson({ a: [1, Infinity] }), /value\.a\[1\]: Infinity is not representable in JSON/);
    assert.throws(() => canonicalJson({ a: undefined }), /value\.a: undefined is not a JSON value/);
    assert.throws(() => canonicalJson(1n, 'element'), /element: bigint is not a JSON value/);
  });
});
