import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkLinearizable } from '../../../../checkers/linearizable/index.ts';
import { namedModel, type ModelName } from '../../../../checkers/linearizable/models/index.ts';
import type { Op } from '../../../../harness/core/op.ts';
import { indexOps } from '../../../../harness/history/reader.ts';
import { bruteForceLinearizable } from '../oracle.ts';

/** One step of a generated history: which process moves, and the op it invokes or how its open op ends. */
interface Step {
  process: number;
  op: { f: string; value: unknown; result: unknown };
  outcome: 'ok' | 'info' | 'fail';
}

/**
 * Turns steps into a well-formed history: a process with an open op completes it, one without invokes; a process
 * whose op ended in info is replaced by a fresh id, as HISTORY.md requires. Ops left open end the history as info.
 */
function build(steps: readonly Step[]): Op[] {
  const ops: Op[] = [];
  const open = new Map<number, Step['op']>();
  const ids = new Map<number, number>();
  let nextId = 100;
  for (const s of steps) {
    const p = ids.get(s.process) ?? s.process;
    const pending = open.get(p);
    if (!pending) {
      open.set(p, s.op);
      ops.push({ type: 'invoke', process: p, f: s.op.f, value: s.op.value, time: ops.length });
      continue;
    }
    open.delete(p);
    ops.push({ type: s.outcome, process: p, f: pending.f, value: s.outcome === 'ok' ? pending.result : pending.value, time: ops.length });
    if (s.outcome === 'info') ids.set(s.process, nextId++);
  }
  return ops;
}

const outcome = fc.constantFrom<Step['outcome']>('ok', 'ok', 'ok', 'info', 'fail');
const mutexOp = fc.constantFrom('acquire', 'release').map((f) => ({ f, value: null, result: null }));
const val = fc.constantFrom(0, 1, 2, null);
interface GenMop { invoked: unknown[]; done: unknown[] }
const mop: fc.Arbitrary<GenMop> = fc.tuple(fc.constantFrom('r', 'w'), fc.constantFrom('x', 'y'), fc.constantFrom(1, 2)).chain(([f, k, v]): fc.Arbitrary<GenMop> =>
  f === 'w' ? fc.constant({ invoked: ['w', k, v], done: ['w', k, v] }) : val.map((seen) => ({ invoked: ['r', k, null], done: ['r', k, seen] })));
const txnOp = fc.array(mop, { minLength: 1, maxLength: 3 }).map((ms) => ({ f: 'txn', value: ms.map((m) => m.invoked), result: ms.map((m) => m.done) }));

/** Runs the comparison; both verdicts must turn up, or the generator tests nothing. */
async function agrees(model: ModelName, initial: unknown, op: fc.Arbitrary<Step['op']>): Promise<void> {
  const seen = { valid: 0, invalid: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ process: fc.integer({ min: 0, max: 2 }), op, outcome }), { maxLength: 14 }), async (steps) => {
      const h = indexOps(build(steps));
      const r = await checkLinearizable(h, { model, initial, workers: 1 });
      assert.equal(r.valid, bruteForceLinearizable(h, namedModel(model, initial)), JSON.stringify(h));
      seen[r.valid === true ? 'valid' : 'invalid']++;
    }),
    { numRuns: 300, seed: 20261207 },
  );
  assert.ok(seen.valid >= 30 && seen.invalid >= 30, JSON.stringify(seen));
}

describe('linearizable: mutex and multi-register agree with the brute-force oracle', function () {
  this.timeout(120_000);
  it('mutex', () => agrees('mutex', undefined, mutexOp));
  it('multi-register from {x: 0, y: 0}', () => agrees('multi-register', { x: 0, y: 0 }, txnOp));
});
