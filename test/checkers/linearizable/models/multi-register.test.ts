import { strict as assert } from 'node:assert';
import { checkLinearizable, linearizableChecker, ModelOptionError, type Counterexample } from '../../../../checkers/linearizable/index.ts';
import { multiRegisterModel } from '../../../../checkers/linearizable/models/multi-register.ts';
import { UNKNOWN } from '../../../../harness/core/model.ts';
import type { Op } from '../../../../harness/core/op.ts';
import { HistoryFormatError, indexOps } from '../../../../harness/history/reader.ts';

type M = [string, string | number, unknown];
const inv = (process: number, mops: M[]): Op => ({ type: 'invoke', process, f: 'txn', value: mops.map(([f, k, v]) => (f === 'r' || f === 'read' ? [f, k, null] : [f, k, v])), time: 0 });
const done = (process: number, mops: M[], type: Op['type'] = 'ok'): Op => ({ type, process, f: 'txn', value: mops, time: 0 });
const txn = (process: number, mops: M[], type: Op['type'] = 'ok'): Op[] => [inv(process, mops), done(process, mops, type)];

describe('linearizable: Knossos multi-register model', () => {
  it('steps: reads see the writes earlier in the same transaction; the initial map is the starting state', () => {
    const m = multiRegisterModel({ initial: { x: 0, y: 0 } });
    const input = { f: 'txn', value: [['w', 'x', 1], ['r', 'x', null], ['r', 'y', null]] };
    assert.equal(m.step(m.init(), input, [['w', 'x', 1], ['r', 'x', 1], ['r', 'y', 0]]).ok, true);
    assert.equal(m.step(m.init(), input, [['w', 'x', 1], ['r', 'x', 0], ['r', 'y', 0]]).ok, false);
    const after = m.step(m.init(), input, UNKNOWN);
    assert.equal(m.describeState!(after.next), '{"x" 1, "y" 0}');
    assert.equal(m.isReadOnly!({ f: 'txn', value: [['read', 'x', null]] }), true);
  });

  it('a null read: absent by default, any value with nilRead any (Knossos)', () => {
    const input = { f: 'txn', value: [['r', 'x', null]] };
    const absent = multiRegisterModel({ initial: { x: 0 } });
    assert.equal(absent.step(absent.init(), input, [['r', 'x', null]]).ok, false);
    assert.equal(absent.step(multiRegisterModel().init(), input, [['r', 'x', null]]).ok, true);
    const any = multiRegisterModel({ initial: { x: 0 }, nilRead: 'any' });
    assert.equal(any.step(any.init(), input, [['r', 'x', null]]).ok, true);
  });

  it('a history of transactions over x and y with initial {x: 0, y: 0} is linearizable', async () => {
    const h = indexOps([
      ...txn(0, [['r', 'x', 0], ['r', 'y', 0]]),
      inv(1, [['write', 'x', 1], ['write', 'y', 1]]),
      inv(2, [['read', 'x', null], ['read', 'y', null]]),
      done(2, [['read', 'x', 1], ['read', 'y', 1]]),
      done(1, [['write', 'x', 1], ['write', 'y', 1]]),
      ...txn(0, [['r', 'x', 1], ['w', 'y', 2], ['r', 'y', 2]]),
    ]);
    const r = await checkLinearizable(h, { model: 'multi-register', initial: { x: 0, y: 0 } });
    assert.equal(r.valid, true, JSON.stringify(r.counterexample));
  });

  it('a read that sees half of another transaction\'s writes is invalid', async () => {
    const h = indexOps([
      ...txn(0, [['w', 'x', 1], ['w', 'y', 1]]),
      ...txn(1, [['r', 'x', 1], ['r', 'y', 0]]),
    ]);
    const r = await checkLinearizable(h, { model: 'multi-register', initial: { x: 0, y: 0 } });
    assert.equal(r.valid, false);
    assert.equal((r.counterexample as Counterexample).cannotPlace.line, 3);
  });

  it('a stale read after a completed transaction is invalid; an info write may or may not have happened', async () => {
    const stale = indexOps([...txn(0, [['w', 'x', 1]]), ...txn(1, [['r', 'x', 0]])]);
    assert.equal((await checkLinearizable(stale, { model: 'multi-register', initial: [['x', 0]] })).valid, false);
    const maybe = indexOps([...txn(0, [['w', 'x', 1]], 'info'), ...txn(1, [['r', 'x', 0]]), ...txn(2, [['r', 'x', 1]])]);
    assert.equal((await checkLinearizable(maybe, { model: 'multi-register', initial: { x: 0 } })).valid, true);
  });

  it('ops it cannot read are bad input naming the line: another f, an unknown micro-op, a completion that differs', async () => {
    const cases: [Op[], RegExp][] = [
      [[{ type: 'invoke', process: 0, f: 'read', value: null, time: 0 }, { type: 'ok', process: 0, f: 'read', value: 1, time: 0 }], /f "read" is not an operation of the multi-register model \(expected txn\)/],
      [txn(0, [['append', 'x', 1]]), /micro-op 0 has f "append"; the multi-register model takes r\/read and w\/write/],
      [[inv(0, [['w', 'x', 1]]), done(0, [['w', 'x', 2]])], /ok micro-op 0 \["w","x",2\] does not match the invoked \["w","x",1\]/],
      [[inv(0, [['w', 'x', 1]]), { type: 'ok', process: 0, f: 'txn', value: 3, time: 0 }], /the ok value must list the same 1 micro-ops/],
    ];
    for (const [ops, message] of cases) {
      await assert.rejects(checkLinearizable(indexOps(ops), { model: 'multi-register', file: 'm.jsonl' }), (e: unknown) =>
        e instanceof HistoryFormatError && e.line === 1 && message.test(e.message), String(message));
    }
  });

  it('an initial value that is not a map of registers is refused when the checker is made', () => {
    assert.throws(() => linearizableChecker({ model: 'multi-register', initial: 5 }), (e: unknown) => e instanceof ModelOptionError && /initial must be an object/.test((e as Error).message));
  });
});
