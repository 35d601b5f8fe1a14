import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { registerModel } from '../../../checkers/linearizable/models/register.ts';
import type { SearchOp } from '../../../checkers/linearizable/search-op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import type { Op } from '../../../harness/core/op.ts';
import { corrupt, genParams, simulate } from './gen.ts';
import { bruteForceLinearizable } from './oracle.ts';

const op = (f: string, value: unknown, output: unknown, unknown = false): SearchOp => ({
  line: 1, call: 0, ret: unknown ? Infinity : 1, input: { f, key: 'x', value }, output: unknown ? null : output, unknown,
});

describe('linearizable: pruning unknown writes nothing observes', () => {
  const prune = registerModel({ cas: true }).pruneUnknown!;

  it('drops an unknown write whose value no read returns and no cas expects', () => {
    const kept = prune([op('write', 1, null, true), op('write', 2, null, true), op('read', null, 2), op('cas', [3, 4], null, true)]);
    assert.deepEqual(kept.map((o) => o.input.value), [2, null, [3, 4]]);
  });

  it('keeps every unknown write when a completed cas failed (dropping could flip it)', () => {
    const ops = [op('write', 1, null, true), op('cas', [5, 6], false)];
    assert.equal(prune(ops).length, 2);
  });

  it('keeps an unknown write a cas compares with', () => {
    assert.equal(prune([op('write', 3, null, true), op('cas', [3, 4], true)]).length, 2);
  });

  it('never changes a verdict: agrees with the brute-force oracle on small histories with timeouts', async () => {
    await fc.assert(
      fc.asyncProperty(genParams(['register', 'cas-register'], 9, 4), fc.boolean(), fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), async (p, bad, picks) => {
        const history = bad ? corrupt(simulate({ ...p, keys: 1, infoRate: 300 }), picks) : simulate({ ...p, keys: 1, infoRate: 300 });
        const model = registerModel({ cas: p.kind === 'cas-register' });
        const expected = bruteForceLinearizable(history, model);
        const r = await checkLinearizable(history, { model: p.kind, workers: 1 });
        assert.equal(r.valid, expected, `history: ${JSON.stringify(history.map((o) => [o.type, o.process, o.f, o.value]))}`);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('lets a history with many timed-out writes finish quickly (each would double the search)', async () => {
    const ops: Op[] = [];
    let t = 0;
    // 40 writes that time out, interleaved with reads that only ever see the acknowledged writes.
    for (let i = 0; i < 40; i++) {
      ops.push({ type: 'invoke', process: 100 + i, f: 'write', key: 'x', value: 1000 + i, time: t++ });
      ops.push({ type: 'invoke', process: 0, f: 'write', key: 'x', value: i, time: t++ });
      ops.push({ type: 'ok', process: 0, f: 'write', key: 'x', value: i, time: t++ });
      ops.push({ type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: t++ });
      ops.push({ type: 'ok', process: 1, f: 'read', key: 'x', value: i, time: t++ });
    }
    const r = await checkLinearizable(indexOps(ops), { model: 'register', budgetMs: 20_000 });
    assert.equal(r.valid, true, JSON.stringify(r).slice(0, 500));
  });
});
