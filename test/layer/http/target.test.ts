import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseTarget } from '../../../layer/http/target.ts';

describe('layer/http/target', () => {
  it('gives what the URL parser gives, whatever the target (property)', () => {
    const piece = fc.constantFrom('/', '//', '.', '..', '%2e', '%2E', '%2F', '%', '?', '#', 'a', 'Z', '0', '-', '_', '~', ' ', '"', '<', '\\', '\t', 'é', "'", ':', '@', 'v1', 'kv', 'internal');
    const target = fc.array(piece, { maxLength: 10 }).map((ps) => '/' + ps.join(''));
    fc.assert(
      fc.property(target, (t) => {
        let expected: { pathname: string; search: string } | null = null;
        try {
          const u = new URL(t, 'http://node');
          expected = { pathname: u.pathname, search: u.searchParams.toString() };
        } catch {
          expected = null;
        }
        if (expected === null) return assert.throws(() => parseTarget(t));
        const got = parseTarget(t);
        assert.deepEqual({ pathname: got.pathname, search: got.searchParams.toString() }, expected, t);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads a plain key path as is, and a query or a dot segment as the URL parser does', () => {
    assert.equal(parseTarget('/v1/kv/r%2F1').pathname, '/v1/kv/r%2F1');
    assert.equal(parseTarget('/v1/kv/../../internal/replicate').pathname, '/internal/replicate');
    assert.equal(parseTarget('/v1/kv/%2e%2e/health').pathname, '/v1/health');
    assert.equal(parseTarget('//evil/health').pathname, '/health');
    assert.equal(parseTarget('/internal/replicate?origin=us-east&last=3').searchParams.get('last'), '3');
  });
});
