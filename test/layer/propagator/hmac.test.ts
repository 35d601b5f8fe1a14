import { strict as assert } from 'node:assert';
import { sign, verify } from '../../../layer/propagator/hmac.ts';

describe('replication HMAC', () => {
  const body = Buffer.from('{"origin":"us-east","entries":[]}');
  it('accepts the signature of the same method, path and body', () => {
    assert.equal(verify('s', 'POST', '/internal/replicate', body, sign('s', 'POST', '/internal/replicate', body)), true);
  });
  it('refuses another secret, path, body or a malformed signature', () => {
    const sig = sign('s', 'POST', '/internal/replicate', body);
    assert.equal(verify('other', 'POST', '/internal/replicate', body, sig), false);
    assert.equal(verify('s', 'POST', '/internal/paxos/accept', body, sig), false);
    assert.equal(verify('s', 'POST', '/internal/replicate', Buffer.from(body.toString() + ' '), sig), false);
    assert.equal(verify('s', 'POST', '/internal/replicate', body, undefined), false);
    assert.equal(verify('s', 'POST', '/internal/replicate', body, 'zz'), false);
  });
});
