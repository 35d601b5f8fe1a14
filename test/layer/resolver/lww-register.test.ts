import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, parseStored, read } from '../../../layer/resolver/index.ts';
import { crdtLaws } from './laws.ts';

describe('layer/resolver/lww-register', () => {
  crdtLaws('lww-register', fc.record({ op: fc.constant('put' as const), value: fc.oneof(fc.nat({ max: 9 }), fc.constant(null)) }, { noNullPrototype: true }));

  it('has no delete: clearing is writing null', () => {
    const ctx = { region: 'us-east', version: { hlc: { wall: 1, logical: 0 }, region: 'us-east', seq: 1 }, vclock: { 'us-east': 1 } };
    const d = applyLocal('lww-register', undefined, { op: 'delete' }, ctx);
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.error, 'wrong-type');
    const p = applyLocal('lww-register', undefined, { op: 'put', value: null }, ctx);
    assert.ok(p.ok);
    assert.equal(read(p.stored).value, null);
  });

  it('refuses a stored state carrying a tombstone', () => {
    const s = { strategy: 'lww-register', vclock: { a: 1 }, version: { hlc: { wall: 1, logical: 0 }, region: 'a', seq: 1 },
      state: { value: null, deleted: true, version: { hlc: { wall: 1, logical: 0 }, region: 'a', seq: 1 }, clock: { a: 1 }, seen: { a: 1 } } };
    assert.throws(() => parseStored(s, 'redis[k]'), /redis\[k\]\.state\.deleted: an lww-register has no deletes/);
  });
});
