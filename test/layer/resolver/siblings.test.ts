import { strict as assert } from 'node:assert';
import { applyLocal, merge, read, type Stored } from '../../../layer/resolver/index.ts';
import { vcIncrement } from '../../../layer/clock/vclock.ts';
import { crdtLaws } from './laws.ts';
import { registerOpArb } from './arbitraries.ts';

let wall = 0;
function write(region: string, current: Stored | undefined, op: { op: 'put'; value: unknown } | { op: 'delete' }): Stored {
  wall++;
  const r = applyLocal('siblings', current, op, {
    region, version: { hlc: { wall, logical: 0 }, region, seq: wall }, vclock: vcIncrement(current?.vclock ?? {}, region),
  });
  assert.ok(r.ok);
  return r.stored;
}

describe('layer/resolver/siblings', () => {
  crdtLaws('siblings', registerOpArb);

  it('shows the latest value and lists the siblings while writes are concurrent', () => {
    const a = write('us-east', undefined, { op: 'put', value: 'a' });
    const b = write('eu-west', undefined, { op: 'put', value: 'b' });
    assert.deepEqual(read(a), { value: 'a' });
    const m = merge(a, b).stored;
    assert.deepEqual(read(m), { value: 'b', siblings: ['a', 'b'] });
    assert.deepEqual(read(write('us-east', m, { op: 'put', value: 'ab' })), { value: 'ab' }, 'a write that saw both resolves them');
  });

  it('a concurrent delete hides nothing that was not seen, but still flags the conflict', () => {
    const a = write('us-east', undefined, { op: 'put', value: 'a' });
    const d = write('eu-west', undefined, { op: 'delete' });
    const m = merge(a, d).stored;
    assert.deepEqual(read(m), { value: 'a' });
    assert.equal(m.conflict, true);
  });
});
