import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, merge, read } from '../../../layer/resolver/index.ts';
import { versionToken } from '../../../layer/clock/version.ts';
import { crdtLaws } from './laws.ts';

const ctx = (region: string, wall: number, vclock: Record<string, number>) => ({ region, version: { hlc: { wall, logical: 0 }, region, seq: 1 }, vclock });

describe('layer/resolver/reject', () => {
  crdtLaws('reject', fc.record({ op: fc.constant('put' as const), value: fc.nat({ max: 9 }) }, { noNullPrototype: true }));

  it('refuses a second write to a key it holds, naming the version it holds', () => {
    const first = applyLocal('reject', undefined, { op: 'put', value: 1 }, ctx('us-east', 5, { 'us-east': 1 }));
    assert.ok(first.ok);
    const again = applyLocal('reject', first.stored, { op: 'put', value: 2 }, ctx('us-east', 6, { 'us-east': 2 }));
    assert.deepEqual(again, {
      ok: false, error: 'rejected',
      message: `write-once key already holds a value (version ${versionToken(first.stored.version)})`,
    });
    const del = applyLocal('reject', first.stored, { op: 'delete' }, ctx('us-east', 6, { 'us-east': 2 }));
    assert.equal(!del.ok && del.error, 'wrong-type');
  });

  it('keeps the earliest of concurrent first writes everywhere and flags it', () => {
    const a = applyLocal('reject', undefined, { op: 'put', value: 'late' }, ctx('us-east', 9, { 'us-east': 1 }));
    const b = applyLocal('reject', undefined, { op: 'put', value: 'early' }, ctx('eu-west', 3, { 'eu-west': 1 }));
    assert.ok(a.ok && b.ok);
    for (const m of [merge(a.stored, b.stored), merge(b.stored, a.stored)]) {
      assert.equal(read(m.stored).value, 'early');
      assert.equal(m.stored.conflict, true);
      assert.equal(m.conflict, true);
      // A read answers the kept write's version: the key's highest version is the refused-in-effect later write's.
      assert.deepEqual(read(m.stored).version, b.stored.version);
      assert.deepEqual(m.stored.version, a.stored.version);
    }
  });
});
