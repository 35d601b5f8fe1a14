import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { HistoryFormatError, indexOps } from '../../../harness/history/reader.ts';

const ev = (type: Op['type'], process: number, f: string, value: unknown, key = 'x'): Op => ({ type, process, f, key, value, time: 0 });

describe('linearizable: what an ok read of null means (nilRead)', () => {
  // Written 1, then a read returns null: impossible if null means "absent", fine if it matches any state (Knossos).
  const history = indexOps([
    ev('invoke', 0, 'write', 1), ev('ok', 0, 'write', 1),
    ev('invoke', 1, 'read', null), ev('ok', 1, 'read', null),
    ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1),
  ]);

  for (const model of ['register', 'cas-register'] as const) {
    it(`${model}: 'absent' (the default) finds the read impossible; 'any' drops it and counts it`, async () => {
      const absent = await checkLinearizable(history, { model });
      assert.equal(absent.valid, false);
      assert.equal(absent.nilRead, 'absent');
      const any = await checkLinearizable(history, { model, nilRead: 'any' });
      assert.equal(any.valid, true);
      assert.equal(any.nilRead, 'any');
      assert.equal((any.stats as { nilReadsDropped: number }).nilReadsDropped, 1);
    });
  }

  it("'any' still finds a stale read that is not null", async () => {
    const stale = indexOps([
      ev('invoke', 0, 'write', 1), ev('ok', 0, 'write', 1),
      ev('invoke', 0, 'write', 2), ev('ok', 0, 'write', 2),
      ev('invoke', 1, 'read', null), ev('ok', 1, 'read', null),
      ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1),
    ]);
    const r = await checkLinearizable(stale, { model: 'register', nilRead: 'any' });
    assert.equal(r.valid, false);
    assert.equal((r.counterexample as { cannotPlace: { line: number } }).cannotPlace.line, 7);
  });

  it("'any' drops only reads: a write of null is still a write, and a malformed op is still refused", async () => {
    const writeNull = indexOps([
      ev('invoke', 0, 'write', 1), ev('ok', 0, 'write', 1),
      ev('invoke', 0, 'write', null), ev('ok', 0, 'write', null),
      ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1),
    ]);
    assert.equal((await checkLinearizable(writeNull, { model: 'register', nilRead: 'any' })).valid, false);
    const badCas = indexOps([ev('invoke', 0, 'cas', 3), ev('ok', 0, 'cas', null)]);
    await assert.rejects(checkLinearizable(badCas, { model: 'cas-register', nilRead: 'any', file: 'h' }), (e: unknown) => e instanceof HistoryFormatError && e.line === 1);
  });
});
