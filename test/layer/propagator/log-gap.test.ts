import { strict as assert } from 'node:assert';
import { missingEntries } from '../../../layer/propagator/log-gap.ts';
import { trimPoint } from '../../../layer/propagator/log-trimmer.ts';

describe('log trimming: pure rules', () => {
  it('trims to the lowest checkpoint; a peer without one holds everything back', () => {
    assert.equal(trimPoint(['7', '4'], 10, 0), 4);
    assert.equal(trimPoint(['7', null], 10, 0), 0);
    assert.equal(trimPoint(['garbage', '9'], 10, 0), 0);
  });

  it('never trims past the head, keeps the retained tail, and with no peers trims to the head', () => {
    assert.equal(trimPoint(['50', '60'], 10, 0), 10);
    assert.equal(trimPoint(['7', '9'], 10, 2), 5);
    assert.equal(trimPoint(['1'], 10, 5), 0);
    assert.equal(trimPoint([], 10, 0), 10);
  });

  it('finds entries a shipper needs that the log no longer holds', () => {
    assert.equal(missingEntries(4, 10, 5), null, 'contiguous');
    assert.equal(missingEntries(10, 10, undefined), null, 'caught up');
    assert.equal(missingEntries(10, 10, 11), null, 'a commit after the head was read');
    assert.deepEqual(missingEntries(0, 10, 7), { from: 1, to: 6 });
    assert.deepEqual(missingEntries(3, 10, undefined), { from: 4, to: 10 }, 'everything after the mark trimmed');
  });
});
