import { strict as assert } from 'node:assert';
import { checkLinearizable, linearizableChecker, type Counterexample } from '../../../../checkers/linearizable/index.ts';
import { mutexModel } from '../../../../checkers/linearizable/models/mutex.ts';
import { UNKNOWN } from '../../../../harness/core/model.ts';
import type { Op } from '../../../../harness/core/op.ts';
import { HistoryFormatError, indexOps } from '../../../../harness/history/reader.ts';

const ev = (type: Op['type'], process: number, f: string): Op => ({ type, process, f, value: null, time: 0 });
const call = (process: number, f: string, type: Op['type'] = 'ok'): Op[] => [ev('invoke', process, f), ev(type, process, f)];

describe('linearizable: Knossos mutex model', () => {
  it('steps: acquire needs a free lock, release a held one', () => {
    const m = mutexModel();
    const held = m.step(m.init(), { f: 'acquire', value: null }, null);
    assert.deepEqual(held, { ok: true, next: 1 });
    assert.equal(m.step(held.next, { f: 'acquire', value: null }, null).ok, false);
    assert.equal(m.step(held.next, { f: 'release', value: null }, null).ok, true);
    assert.equal(m.step(m.init(), { f: 'release', value: null }, UNKNOWN).ok, false);
    assert.equal(mutexModel(true).step(1, { f: 'release', value: null }, null).ok, true);
    assert.match(m.checkOp!({ f: 'read', value: null }, 1)!, /not an operation of the mutex model \(expected acquire, release\)/);
  });

  it('acquire, release, acquire, release by two processes is valid', async () => {
    const h = indexOps([...call(0, 'acquire'), ...call(0, 'release'), ...call(1, 'acquire'), ...call(1, 'release')]);
    const r = await checkLinearizable(h, { model: 'mutex' });
    assert.equal(r.valid, true);
  });

  it('two acquires without a release between them are invalid, blaming the second', async () => {
    const h = indexOps([...call(0, 'acquire'), ...call(1, 'acquire'), ...call(0, 'release')]);
    const r = await checkLinearizable(h, { model: 'mutex' });
    assert.equal(r.valid, false);
    const ce = r.counterexample as Counterexample;
    assert.equal(ce.cannotPlace.line, 3);
    assert.deepEqual(ce.statesReached, ['held']);
  });

  it('overlapping acquires may be ordered around a release that overlaps both', async () => {
    const h = indexOps([
      ev('invoke', 0, 'acquire'), ev('ok', 0, 'acquire'),
      ev('invoke', 0, 'release'), ev('invoke', 1, 'acquire'), ev('ok', 1, 'acquire'), ev('ok', 0, 'release'),
    ]);
    assert.equal((await checkLinearizable(h, { model: 'mutex' })).valid, true);
  });

  it('an info acquire may not have happened: a later acquire is still possible', async () => {
    const h = indexOps([...call(0, 'acquire', 'info'), ...call(1, 'acquire'), ...call(1, 'release')]);
    assert.equal((await checkLinearizable(h, { model: 'mutex' })).valid, true);
  });

  it('a release of a free lock is invalid', async () => {
    const r = await checkLinearizable(indexOps(call(0, 'release')), { model: 'mutex' });
    assert.equal(r.valid, false);
  });

  it('an op the model cannot read is bad input naming the file and line', async () => {
    const h = indexOps([...call(0, 'acquire'), ...call(0, 'read')]);
    await assert.rejects(checkLinearizable(h, { model: 'mutex', file: 'h.jsonl' }), (e: unknown) =>
      e instanceof HistoryFormatError && e.line === 3 && /h\.jsonl:3: f "read" is not an operation of the mutex model/.test(e.message));
  });

  it('a wrong initial value is refused when the checker is made', () => {
    assert.throws(() => linearizableChecker({ model: 'mutex', initial: 'locked' }), /mutex model: initial must be true \(held\) or false \(free\)/);
  });
});
