import { strict as assert } from 'node:assert';
import { AUTH_HEADER, RequestVerifier, SIGNATURE_HEADER, signRequest, type RequestParts } from '../../../layer/propagator/hmac.ts';

describe('peer request authentication (propagator/hmac.ts)', () => {
  const body = Buffer.from('{"origin":"us-east","entries":[]}');
  const parts: RequestParts = { method: 'POST', target: '/internal/replicate', bodyLength: body.length, context: '' };
  const now = 1_700_000_000_000;

  function verifyAll(v: RequestVerifier, p: RequestParts, h: Record<string, string>, b: Buffer, at = now): string | true {
    const c = v.checkHeaders(p, h[AUTH_HEADER], h[SIGNATURE_HEADER], at);
    if (!c.ok) return c.reason;
    c.body.update(b);
    return c.body.matches() ? true : 'body';
  }

  it('accepts a request signed with the same secret, method, target, length, context and body', () => {
    assert.equal(verifyAll(new RequestVerifier('s'), parts, signRequest('s', parts, body, now), body), true);
  });

  it('refuses on the headers alone another secret, target, length or context, and a missing or stale stamp', () => {
    const h = signRequest('s', parts, body, now);
    assert.match(String(verifyAll(new RequestVerifier('other'), parts, h, body)), /does not match/);
    assert.match(String(verifyAll(new RequestVerifier('s'), { ...parts, target: '/internal/paxos/accept' }, h, body)), /does not match/);
    assert.match(String(verifyAll(new RequestVerifier('s'), { ...parts, bodyLength: body.length + 1 }, h, body)), /does not match/);
    assert.match(String(verifyAll(new RequestVerifier('s'), { ...parts, context: 'forward a>b' }, h, body)), /does not match/);
    assert.match(String(verifyAll(new RequestVerifier('s'), parts, {}, body)), /missing or malformed/);
    assert.match(String(verifyAll(new RequestVerifier('s'), parts, h, body, now + 31_000)), /more than 30000 ms/);
    assert.match(String(verifyAll(new RequestVerifier('s'), parts, h, body, now - 31_000)), /more than 30000 ms/);
  });

  it('refuses a body that differs from the signed one, and a malformed body signature', () => {
    const h = signRequest('s', parts, body, now);
    assert.equal(verifyAll(new RequestVerifier('s'), parts, h, Buffer.from(body.toString().replace('us', 'eu'))), 'body');
    assert.equal(verifyAll(new RequestVerifier('s'), parts, { ...h, [SIGNATURE_HEADER]: 'zz' }, body), 'body');
  });

  it('refuses a replay of an accepted request, and signs every call with a fresh nonce', () => {
    const v = new RequestVerifier('s');
    const h = signRequest('s', parts, body, now);
    assert.equal(verifyAll(v, parts, h, body), true);
    assert.match(String(verifyAll(v, parts, h, body, now + 5_000)), /replayed/);
    assert.equal(verifyAll(v, parts, signRequest('s', parts, body, now), body), true);
  });
});
