import { strict as assert } from 'node:assert';
import { HistoryFormatError, parseHistory } from '../../../harness/history/reader.ts';

const op = (type: string, value: unknown = null): string => JSON.stringify({ type, process: 0, f: 'write', key: 'x', value, time: 1 });

describe('history reader: parseHistory', () => {
  it('gives each op its index and line, with CRLF line ends and trailing blank lines', () => {
    const { ops, truncatedTail } = parseHistory(`${op('invoke', 1)}\r\n${op('ok', 1)}\r\n\n\n`);
    assert.equal(truncatedTail, undefined);
    assert.deepEqual(ops.map((o) => [o.index, o.line, o.type, o.value]), [[0, 1, 'invoke', 1], [1, 2, 'ok', 1]]);
  });

  it('refuses a line holding two events, naming it, though the text as a whole would parse as a list', () => {
    assert.throws(() => parseHistory(`${op('invoke')}\n${op('ok')},${op('invoke')}\n${op('ok')}\n`, 'h.jsonl'), (e: unknown) => {
      assert.ok(e instanceof HistoryFormatError);
      assert.match(e.message, /h\.jsonl:2\b.*not valid JSON/);
      return true;
    });
  });

  it('refuses a blank line inside the history and names it', () => {
    assert.throws(() => parseHistory(`${op('invoke')}\n\n${op('ok')}\n`, 'h.jsonl'), /h\.jsonl:2\b.*blank line/);
  });

  it('drops a final line cut short, and names the first bad field of an event by its line', () => {
    const { ops, truncatedTail } = parseHistory(`${op('invoke')}\n${op('ok')}\n{"type":"inv`);
    assert.equal(ops.length, 2);
    assert.deepEqual(truncatedTail, { line: 3, text: '{"type":"inv' });
    assert.throws(() => parseHistory(`${op('invoke')}\n[1]\n`, 'h.jsonl'), /h\.jsonl:2\b.*expected a JSON object/);
  });
});
