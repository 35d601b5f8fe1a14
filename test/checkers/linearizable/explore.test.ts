import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import { checkLinearizable, type Counterexample } from '../../../checkers/linearizable/index.ts';

const op = (type: Op['type'], process: number, f: string, value: unknown, time: number): Op => ({ type, process, f, key: 'x', value, time });

describe('linearizable: the explorer of a bad key', () => {
  // write 1 and a read of 1 overlap; a later read returns 0 (the initial value): impossible after the write.
  const history = indexOps([
    op('invoke', 0, 'write', 1, 0),
    op('invoke', 1, 'read', null, 1),
    op('ok', 1, 'read', 1, 2),
    op('ok', 0, 'write', 1, 3),
    op('invoke', 2, 'read', null, 4),
    op('ok', 2, 'read', 0, 5),
  ]);

  it('gives every op the longest partial linearization found that includes it, with states, from the checker', async () => {
    const r = await checkLinearizable(history, { model: 'register', initial: 0, workers: 1 });
    assert.equal(r.valid, false);
    const ex = (r.counterexample as Counterexample).explorer!;
    assert.deepEqual(ex.lines, [1, 2, 5]);
    const order = (line: number) => {
      const i = ex.orderOf[ex.lines.indexOf(line)];
      return i < 0 ? undefined : ex.orders[i].map((s) => `${s.line}:${s.state}`);
    };
    assert.deepEqual(order(1), ['1:1', '2:1']);
    assert.deepEqual(order(2), ['1:1', '2:1']);
    assert.equal(order(5), undefined, 'the stale read fits in no order');
    assert.equal(ex.capped, false);
  });

  it('is left out for keys too large to explore, keeping results bounded', async () => {
    const ops: Op[] = [];
    for (let i = 0; i < 250; i++) ops.push(op('invoke', i, 'write', i, 2 * i), op('ok', i, 'write', i, 2 * i + 1));
    ops.push(op('invoke', 999, 'read', null, 1000), op('ok', 999, 'read', 5, 1001));
    const r = await checkLinearizable(indexOps(ops), { model: 'register', initial: 0, workers: 1 });
    assert.equal(r.valid, false);
    assert.equal((r.counterexample as Counterexample).explorer, undefined);
  });

  it('is left out when explore is off, the verdict and counterexample unchanged', async () => {
    const on = await checkLinearizable(history, { model: 'register', initial: 0, workers: 1 });
    const off = await checkLinearizable(history, { model: 'register', initial: 0, workers: 1, explore: false });
    assert.equal(off.valid, false);
    const { explorer, ...rest } = on.counterexample as Counterexample;
    assert.ok(explorer);
    assert.deepEqual(off.counterexample, rest);
  });
});
