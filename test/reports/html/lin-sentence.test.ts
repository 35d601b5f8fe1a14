import { strict as assert } from 'node:assert';
import { counterexampleSentence } from '../../../reports/html/lin-sentence.ts';
import { opSpans, spansByLine } from '../../../reports/html/spans.ts';
import { indexed } from '../history-fixture.ts';

const MS = 1e6;

describe('reports/html/lin-sentence', () => {
  const h = indexed([
    { type: 'invoke', process: 0, f: 'write', key: 'x', value: 30, time: 12_000 * MS },
    { type: 'ok', process: 0, f: 'write', key: 'x', value: 30, time: 12_310 * MS },
    { type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 12_400 * MS },
    { type: 'ok', process: 1, f: 'read', key: 'x', value: 29, time: 12_450 * MS },
  ]);
  const byLine = spansByLine(opSpans(h).spans);

  it('names the operations, their times and the order that makes the result impossible', () => {
    const s = counterexampleSentence(
      { key: 'x', longestPrefix: [{ line: 1, completeLine: 2, op: 'write 30', state: '30' }], prefixLength: 1, cannotPlace: { line: 3, completeLine: 4, op: 'read → 29' }, statesReached: ['30'] },
      byLine,
    );
    assert.equal(
      s,
      'On key x, read → 29 (line 3, from 12.400 s to 12.450 s) cannot take effect: write 30 (line 1) completed at 12.310 s, before it began at 12.400 s, and leaves 30; in every state an order could reach before it returned (30) the model forbids its result, so no order of the operations fits.',
    );
  });

  it('says what it can when the prefix is empty or the lines are not in the history', () => {
    assert.equal(counterexampleSentence({ key: 'y', longestPrefix: [], cannotPlace: { line: 99, op: 'read → 1' }, statesReached: ['nil'] }, byLine), 'On key y, read → 1 (line 99) cannot take effect: in every state an order could reach before it returned (nil) the model forbids its result.');
    assert.equal(counterexampleSentence({ key: 'y' }, byLine), undefined);
  });
});
