import { strict as assert } from 'node:assert';
import { InFlightLimits } from '../../../layer/http/in-flight.ts';

describe('InFlightLimits (http/in-flight.ts)', () => {
  it('refuses past the limit of a route with 503 overloaded and Retry-After, other routes unaffected', () => {
    const refused: string[] = [];
    const limits = new InFlightLimits<'a' | 'b'>({ a: 2, b: 1 }, (r) => refused.push(r));
    const first = limits.enter('a');
    limits.enter('a');
    assert.throws(() => limits.enter('a'), (e: any) => e.status === 503 && e.code === 'overloaded' && e.headers['retry-after'] === '1');
    assert.deepEqual(refused, ['a']);
    limits.enter('b');
    first();
    assert.equal(limits.inFlight('a'), 1);
    limits.enter('a');
  });

  it('gives a slot back once however often its release is called', () => {
    const limits = new InFlightLimits<'a'>({ a: 1 });
    const release = limits.enter('a');
    release();
    release();
    assert.equal(limits.inFlight('a'), 0);
    limits.enter('a');
    assert.throws(() => limits.enter('a'));
  });
});
