import { strict as assert } from 'node:assert';
import { checkerSummary, keyFigures, verdictSentence, verdictWord } from '../../../reports/html/verdict.ts';

describe('reports/html/verdict', () => {
  it('words the three verdicts', () => {
    assert.deepEqual([verdictWord(true), verdictWord(false), verdictWord('unknown'), verdictWord(undefined)], ['Valid', 'Anomalies found', 'Unknown', 'Unknown']);
    assert.equal(verdictSentence({ valid: true, checkers: { a: { valid: true } } }), 'a found no anomaly.');
    assert.equal(verdictSentence({ valid: true, checkers: { a: { valid: true }, b: { valid: true } } }), 'All 2 checkers found no anomaly.');
    assert.equal(verdictSentence({ valid: 'unknown', checkers: { a: { valid: true }, b: { valid: 'unknown' } } }), 'No anomaly found, but b could not decide — this run proves nothing about that property.');
  });

  it('summarises a checker from its reason, else from what it found', () => {
    assert.equal(checkerSummary('x', { valid: false, reason: 'r' }), 'r');
    assert.equal(checkerSummary('lin', { valid: false, counterexample: { key: 'k', stuck: { line: 7 } } }), 'key k: the operation on line 7 cannot be linearized');
    assert.equal(checkerSummary('elle', { valid: false, anomalyTypes: ['G0', 'G1c'] }), 'anomalies: G0, G1c');
    assert.equal(checkerSummary('s', { valid: false, violations: [{}, {}] }), '2 violations');
    assert.equal(checkerSummary('s', { valid: 'unknown' }), 's could not decide');
  });

  it('picks headline figures: scalars, names, small count maps, and finding counts only when failing', () => {
    const figures = keyFigures({ valid: false, reason: 'x', ops: 1200, models: ['a', 'b'], counts: { lost: 2, stale: 0 }, lost: [{ line: 1 }, { line: 2 }], throughput: [] });
    assert.deepEqual(figures, [['ops', '1,200'], ['models', 'a, b'], ['counts', 'lost 2, stale 0'], ['lost', '2']]);
    assert.deepEqual(keyFigures({ valid: true, windows: [{ a: 1 }] }), [], 'lists of figures are drawn elsewhere');
  });
});
