import { strict as assert } from 'node:assert';
import { blamedLines } from '../../../reports/html/anomaly.ts';

describe('reports/html/anomaly', () => {
  it('blames the stuck op of a counterexample but not its linearized prefix', () => {
    const m = blamedLines({
      valid: false,
      checkers: {
        linearizable: {
          valid: false,
          counterexample: { key: 'x', prefix: [{ line: 3, op: 'write 1', state: 1 }], stuck: { line: 16, op: 'read → 0' }, states: [1] },
        },
      },
    });
    assert.deepEqual([...m.keys()], [16]);
    assert.deepEqual(m.get(16), [{ checker: 'linearizable', what: 'cannot be linearized' }]);
  });

  it('names Elle cycle members by anomaly type and other violations by their kind or list', () => {
    const m = blamedLines({
      valid: false,
      checkers: {
        'elle-list-append': {
          valid: false,
          anomalies: { 'G-single': [{ cycle: [{ line: 4, type: 'ok', edge: 'rw' }, { line: 9, edge: 'wr' }], explanation: '…' }] },
        },
        set: { valid: false, lost: [{ element: 3, lines: [20, 21] }] },
        'session-guarantees': { valid: false, violations: [{ kind: 'monotonic-reads', firstLine: 30, secondLine: 31 }] },
        stats: { valid: true, slow: [{ line: 99 }] },
      },
    });
    assert.deepEqual(m.get(4), [{ checker: 'elle-list-append', what: 'G-single' }]);
    assert.deepEqual(m.get(9), [{ checker: 'elle-list-append', what: 'G-single' }]);
    assert.deepEqual(m.get(20), [{ checker: 'set', what: 'lost' }]);
    assert.deepEqual(m.get(31), [{ checker: 'session-guarantees', what: 'monotonic-reads' }]);
    assert.equal(m.has(99), false, 'a valid checker blames nothing');
  });
});
