import { strict as assert } from 'node:assert';
import { boundary, impossibleModels, KNOWN_MODELS, validateModels, violates } from '../../../checkers/elle/models.ts';

describe('elle consistency models', () => {
  it('G1c rules out read committed and everything stronger, but not read uncommitted', () => {
    const { not, alsoNot } = boundary(['G1c']);
    assert.deepEqual(not, ['read-committed']);
    assert.ok(alsoNot.includes('strict-serializable') && alsoNot.includes('snapshot-isolation'));
    assert.ok(!alsoNot.includes('read-uncommitted'));
  });

  it('G2-item rules out repeatable read and serializable, but not snapshot isolation', () => {
    const m = impossibleModels(['G2-item']);
    assert.ok(m.has('repeatable-read') && m.has('serializable') && m.has('strict-serializable'));
    assert.ok(!m.has('snapshot-isolation'));
    assert.equal(violates('G2-item', ['snapshot-isolation']), false);
    assert.equal(violates('G2-item', ['serializable']), true);
  });

  it('real-time variants only rule out the strong models', () => {
    assert.deepEqual(boundary(['G-single-realtime']).not, ['strong-snapshot-isolation']);
    assert.equal(violates('G-single-realtime', ['serializable', 'snapshot-isolation']), false);
    assert.equal(violates('G-single-realtime', ['strict-serializable']), true);
  });

  it('several anomalies give the weakest models among all they rule out', () => {
    assert.deepEqual(boundary(['G0', 'G2-item']).not, ['read-uncommitted']);
    assert.deepEqual(boundary(['internal', 'G2-item']).not, ['read-atomic', 'repeatable-read']);
  });

  it('anomalies no model forbids leave nothing ruled out', () => {
    assert.deepEqual(boundary(['cycle-search-timeout']), { not: [], alsoNot: [] });
  });

  it('a cycle proven to exist by projection rules out its model', () => {
    assert.deepEqual(boundary(['PL-SS-cycle-exists']), { not: ['strict-serializable'], alsoNot: [] });
  });

  it('every model in the lattice is valid input; typos are not', () => {
    validateModels(KNOWN_MODELS);
    assert.throws(() => validateModels(['snapshot-isolaton']), /unknown consistency model "snapshot-isolaton"/);
  });
});
