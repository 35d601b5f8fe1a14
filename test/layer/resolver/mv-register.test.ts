import { strict as assert } from 'node:assert';
import { applyLocal, merge, read, type Stored } from '../../../layer/resolver/index.ts';
import { vcIncrement } from '../../../layer/clock/vclock.ts';
import { registerOpArb } from './arbitraries.ts';
import { crdtLaws } from './laws.ts';


let wall = 0;
function put(region: string, current: Stored | undefined, value: unknown): Stored {
  wall++;
  const r = applyLocal('mv-register', current, { op: 'put', value }, {
    region, version: { hlc: { wall, logical: 0 }, region, seq: wall }, vclock: vcIncrement(current?.vclock ?? {}, region),
  });
  assert.ok(r.ok);
  return r.stored;
}

describe('layer/resolver/mv-register', () => {
  crdtLaws('mv-register', registerOpArb);

  it('keeps exactly the concurrent writes, and a write that saw them replaces them all', () => {
    const a = put('us-east', undefined, 'a');
    const b = put('eu-west', undefined, 'b');
    const c = put('ap-south', merge(undefined, a).stored, 'c');
    const all = merge(merge(a, b).stored, c).stored;
    assert.deepEqual(read(all), { value: ['b', 'c'] }, 'a was seen by c, so only b and c remain, in version order');
    assert.equal(all.conflict, true);
    const d = put('us-east', all, 'd');
    assert.deepEqual(read(d), { value: ['d'] });
    assert.equal(d.conflict, undefined);
    assert.deepEqual(read(merge(b, d).stored), { value: ['d'] }, 'a stale sibling arriving late stays dominated');
  });
});
