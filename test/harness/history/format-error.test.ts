import { strict as assert } from 'node:assert';
import { HistoryFormatError } from '../../../harness/history/format-error.ts';

describe('HistoryFormatError', () => {
  it('is recognised across copies of its module: here the tests load it as CommonJS, import() loads it again', async () => {
    const other = (await import('../../../harness/history/format-error.ts')).HistoryFormatError;
    const fromOther = new other('h.jsonl', 3, 'bad');
    assert.ok(fromOther instanceof HistoryFormatError);
    assert.ok(new HistoryFormatError('h.jsonl', 3, 'bad') instanceof other);
    assert.equal(fromOther.message, 'h.jsonl:3: bad');
  });

  it('is not any error that merely shares its name or fields', () => {
    const lookalike = Object.assign(new Error('h.jsonl:3: bad'), { name: 'HistoryFormatError', file: 'h.jsonl', line: 3, detail: 'bad' });
    assert.ok(!(lookalike instanceof HistoryFormatError));
    for (const v of [null, 'x', 3] as unknown[]) assert.ok(!(v instanceof HistoryFormatError));
  });
});
