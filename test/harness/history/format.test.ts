import { strict as assert } from 'node:assert';
import { guessFormat } from '../../../harness/history/format.ts';

describe('harness/history/format', () => {
  it('goes by the extension, else by how the text opens', () => {
    assert.equal(guessFormat('h.edn', '{"type":"ok"}'), 'edn');
    assert.equal(guessFormat('h.JSONL', '{:type :ok}'), 'jsonl');
    assert.equal(guessFormat('history.txt', '  {:type :invoke}'), 'edn');
    assert.equal(guessFormat('history.txt', '\n[{:type :invoke}]'), 'edn');
    assert.equal(guessFormat('history.txt', '(\n{:type :invoke})'), 'edn');
    assert.equal(guessFormat('history.txt', '#jepsen.history.Op{:type :ok}'), 'edn');
    assert.equal(guessFormat('history.txt', '{ "type": "invoke"}'), 'jsonl');
    assert.equal(guessFormat('history', ''), 'jsonl');
  });
});
