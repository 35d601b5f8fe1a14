import { strict as assert } from 'node:assert';
import { covers, decodeSession, encodeSession, mergeSession } from '../../../layer/tiers/session.ts';
import { HttpError } from '../../../layer/http/errors.ts';

describe('session tokens', () => {
  it('round-trip and merge pointwise by max', () => {
    const t = encodeSession({ 'us-east': 3, 'eu-west': 1 });
    assert.deepEqual(decodeSession(t), { 'us-east': 3, 'eu-west': 1 });
    assert.deepEqual(mergeSession({ a: 1, b: 5 }, { a: 4, c: 2 }), { a: 4, b: 5, c: 2 });
    assert.deepEqual(decodeSession(undefined), {});
  });

  it('covers only when every component is reached', () => {
    assert.equal(covers({ a: 3, b: 2 }, { a: 3 }), true);
    assert.equal(covers({ a: 3 }, { a: 3, b: 1 }), false);
    assert.equal(covers({ a: 2 }, { a: 3 }), false);
  });

  it('rejects tokens it did not issue with a 400', () => {
    for (const bad of ['%%%', Buffer.from('[1]').toString('base64url'), Buffer.from('{"a":-1}').toString('base64url'), Buffer.from('{"__proto__":1}').toString('base64url')]) {
      assert.throws(() => decodeSession(bad), (e) => e instanceof HttpError && e.status === 400);
    }
  });
});
