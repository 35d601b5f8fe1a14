import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { corrupt, genParams, simulate, type Kind } from './gen.ts';
import { buildPorcupineRef, runPorcupine, toPorcupineOps } from './porcupine-ref.ts';

const PER_MODEL = 400;
/** A few generated histories (many unknown-outcome appends) are genuinely exponential: both sides give up on those. */
const BUDGET_MS = 1000;

describe('linearizable: differential against Porcupine v1.3.1', function () {
  this.timeout(180_000);
  let ref: Awaited<ReturnType<typeof buildPorcupineRef>> | undefined;

  before(async () => {
    ref = await buildPorcupineRef();
  });
  after(async () => {
    await ref?.dispose();
  });

  for (const kind of ['register', 'cas-register', 'kv'] as const satisfies readonly Kind[]) {
    it(`agrees on ${PER_MODEL} ${kind} histories, linearizable by construction and with injected violations`, async function () {
      this.timeout(60_000);
      const seed = Date.now() ^ kind.length;
      const samples = fc.sample(fc.tuple(genParams([kind], 40, 5), fc.boolean(), fc.array(fc.nat(), { minLength: 1, maxLength: 2 })), { numRuns: PER_MODEL, seed });
      const histories = samples.map(([p, inject, picks]) => (inject ? corrupt(simulate(p), picks) : simulate(p)));
      const theirs = await runPorcupine(ref!.bin, kind, histories.map(toPorcupineOps), BUDGET_MS, 50_000);
      assert.equal(theirs.length, histories.length);
      let compared = 0;
      let illegal = 0;
      for (let i = 0; i < histories.length; i++) {
        const mine = await checkLinearizable(histories[i], { model: kind, initial: kind === 'kv' ? '' : undefined, workers: 1, budgetMs: BUDGET_MS });
        if (theirs[i].verdict === 'Unknown' || mine.valid === 'unknown') continue;
        compared++;
        if (theirs[i].verdict === 'Illegal') illegal++;
        assert.equal(
          mine.valid,
          theirs[i].verdict === 'Ok',
          `seed ${seed}, history ${i}: Rift says ${String(mine.valid)}, Porcupine ${theirs[i].verdict}\n` + histories[i].map((o) => JSON.stringify(o)).join('\n'),
        );
      }
      assert.ok(compared >= histories.length * 0.97, `only ${compared} of ${histories.length} histories were decided by both`);
      assert.ok(illegal >= PER_MODEL / 10, `too few violations to be a real comparison (${illegal})`);
    });
  }
});
