import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { EXIT_SEVERITY, worstExit } from '../../../harness/cli/check-outcome.ts';

describe('worstExit', () => {
  it('ranks 70 > 65 > 64 > 1 > 2 > 0 and is 0 for no files', () => {
    assert.deepEqual(EXIT_SEVERITY, [70, 65, 64, 1, 2, 0]);
    assert.equal(worstExit([]), 0);
    assert.equal(worstExit([0, 2, 1]), 1, 'an anomaly outranks unknown');
    assert.equal(worstExit([1, 65, 0]), 65, 'bad input outranks an anomaly');
    assert.equal(worstExit([65, 70]), 70);
  });

  it('is the most severe code present, whatever the order of the files', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EXIT_SEVERITY), { minLength: 1 }), (codes) => {
        const worst = worstExit(codes);
        assert.ok(codes.includes(worst));
        for (const c of codes) assert.ok(EXIT_SEVERITY.indexOf(worst) <= EXIT_SEVERITY.indexOf(c));
        assert.equal(worstExit([...codes].reverse()), worst);
      }),
      { seed: 9 },
    );
  });
});
