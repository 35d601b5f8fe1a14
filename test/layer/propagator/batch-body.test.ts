import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { BATCH_ENCODING, decodeBatchBody, encodeBatchBody, MAX_BATCH_JSON, MIN_DEFLATE_JSON } from '../../../layer/propagator/batch-body.ts';

describe('replication batch body encoding', () => {
  it('decodes what it encodes, for any JSON text', () => {
    fc.assert(fc.property(fc.json(), (json) => {
      const { bytes, encoding } = encodeBatchBody(json);
      return decodeBatchBody(bytes, encoding).toString('utf8') === json;
    }));
  });

  it('shrinks a batch of similar key states several times over', () => {
    const state = (i: number) => `{"key":"k/${i}","stored":{"strategy":"lww","state":{"value":${i}},"vclock":{"us-east":${i}},"version":{"hlc":{"wall":1700000000000,"logical":0},"region":"us-east","seq":${i}}}}`;
    const json = `[${Array.from({ length: 500 }, (_, i) => state(i)).join(',')}]`;
    const { bytes, encoding } = encodeBatchBody(json);
    assert.equal(encoding, BATCH_ENCODING);
    assert.ok(bytes.length * 4 < json.length);
  });

  it('sends a small batch as plain JSON: zlib costs more than it saves there', () => {
    const small = encodeBatchBody('{"origin":"us-east","entries":[]}');
    assert.equal(small.encoding, undefined);
    assert.equal(small.bytes.toString('utf8'), '{"origin":"us-east","entries":[]}');
    assert.equal(encodeBatchBody('x'.repeat(MIN_DEFLATE_JSON)).encoding, BATCH_ENCODING);
  });

  it('takes an unencoded body as plain JSON', () => {
    assert.equal(decodeBatchBody(Buffer.from('{"a":1}'), undefined).toString('utf8'), '{"a":1}');
  });

  it('refuses an unknown encoding, a corrupt body and one that inflates past the limit, naming why', () => {
    assert.throws(() => decodeBatchBody(Buffer.from('x'), 'gzip'), /content-encoding "gzip" is not supported/);
    assert.throws(() => decodeBatchBody(Buffer.from('not deflate'), BATCH_ENCODING), /cannot inflate/);
    const bomb = deflateRawSync(Buffer.alloc(MAX_BATCH_JSON + 1, 32));
    assert.throws(() => decodeBatchBody(bomb, BATCH_ENCODING), /cannot inflate the batch body \(limit/);
  });
});
