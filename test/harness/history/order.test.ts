import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { rankByTime, timeOrderWarning } from '../../../harness/history/order.ts';
import { HistoryFormatError, indexOps } from '../../../harness/history/reader.ts';

const op = (type: Op['type'], process: number, time: number): Op => ({ type, process, f: 'write', value: 1, time });

describe('harness/history/order', () => {
  it('ranks by time with invokes before completions at equal times (closed intervals), keeping the array', () => {
    const ops = indexOps([op('invoke', 0, 10), op('ok', 0, 50), op('invoke', 1, 50), op('ok', 1, 60), op('invoke', 2, 5), op('ok', 2, 7)]);
    rankByTime(ops, 'h');
    assert.deepEqual(ops.map((o) => [o.line, o.index]), [[1, 2], [2, 4], [3, 3], [4, 5], [5, 0], [6, 1]]);
  });

  it('a completion earlier than its own invoke cannot be placed in time order: bad input naming the line', () => {
    const ops = indexOps([op('invoke', 0, 10), op('ok', 0, 5)]);
    assert.throws(() => rankByTime(ops, 'h.jsonl'), (e: unknown) => e instanceof HistoryFormatError && e.line === 2 && /field "time"/.test(e.message));
  });

  it('warns naming the lines whose time runs backwards, at most five and a count', () => {
    const ok = indexOps([op('invoke', 0, 1), op('ok', 0, 2)]);
    assert.equal(timeOrderWarning(ok, 'h', 'lines'), undefined);
    const times = [10, 20, 15, 30, 1, 2, 3, 4, 5];
    const back = indexOps(times.map((t, i) => op(i % 2 ? 'ok' : 'invoke', 0, t)));
    const w = timeOrderWarning(back, 'h', 'lines')!;
    assert.match(w, /^h: times run backwards at line 3 \(time 15 after 20 on line 2\), line 5 \(time 1 after 30 on line 4\), line 6 .*line 8 .*, and 1 more; checked in line order/);
    assert.match(timeOrderWarning(back, 'h', 'time')!, /checked in time order/);
  });
});
