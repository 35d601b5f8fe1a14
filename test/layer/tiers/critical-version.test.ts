import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { criticalVersionToken } from '../../../layer/tiers/critical.ts';

describe('critical version tokens (tiers/critical.ts)', () => {
  it('string order is write-number order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (a, b) => {
        const [ta, tb] = [criticalVersionToken(a), criticalVersionToken(b)];
        assert.equal(Math.sign(ta < tb ? -1 : ta > tb ? 1 : 0), Math.sign(a - b));
      }),
    );
  });
});
