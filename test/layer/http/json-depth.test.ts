import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkJsonDepth } from '../../../layer/http/json-depth.ts';
import { HttpError } from '../../../layer/http/errors.ts';

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

const passes = (text: string, max: number) => {
  try {
    checkJsonDepth(Buffer.from(text), max);
    return true;
  } catch (e) {
    assert.ok(e instanceof HttpError && e.status === 400, String(e));
    return false;
  }
};

describe('checkJsonDepth (http/json-depth.ts)', () => {
  it('passes exactly the values nested at most max deep, whatever their strings contain', () => {
    const tricky = fc.oneof(fc.string(), fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\"[', '"\\\\"'));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(tricky, tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 6 }), (v, max) => {
        assert.equal(passes(JSON.stringify(v), max), depthOf(v) <= max);
      }),
    );
  });

  it('refuses 3,000 levels with a message naming the limit', () => {
    assert.throws(() => checkJsonDepth(Buffer.from(`{"value":${'['.repeat(3000)}${']'.repeat(3000)}}`), 64), /nested more than 64 levels/);
  });
});
