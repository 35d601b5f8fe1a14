import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { UNKNOWN } from '../../../harness/core/model.ts';
import type { IndexedOp } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import { checkLinearizable, type LinearizableOptions } from '../../../checkers/linearizable/index.ts';
import { namedModel } from '../../../checkers/linearizable/models/index.ts';
import { keyedModel } from '../../../checkers/linearizable/models/keyed.ts';
import { corrupt, genParams, simulate, type Kind } from './gen.ts';
import { bruteForceLinearizable } from './oracle.ts';

const KINDS: Kind[] = ['register', 'cas-register', 'kv', 'set'];
const opts = (kind: Kind, extra: Partial<LinearizableOptions> = {}): LinearizableOptions => ({
  model: kind,
  initial: kind === 'kv' ? '' : undefined,
  workers: 1,
  ...extra,
});
const verdict = async (h: readonly IndexedOp[], kind: Kind, extra: Partial<LinearizableOptions> = {}) =>
  (await checkLinearizable(h, opts(kind, extra))).valid;

/** A linearizable history or one with corrupted reads, with its kind. */
const anyHistory = fc
  .tuple(genParams(KINDS), fc.array(fc.nat(), { maxLength: 2 }))
  .map(([p, picks]) => ({ kind: p.kind, history: corrupt(simulate(p), picks) }));

const reindex = (ops: readonly IndexedOp[]): IndexedOp[] =>
  indexOps(ops.map(({ index: _i, line: _l, ...op }) => ({ ...op, time: 0 })).map((op, i) => ({ ...op, time: i * 7 })));

describe('linearizable: properties (CHECKERS.md §5.1)', function () {
  this.timeout(60_000);

  it('histories linearizable by construction are valid (every model; info before/after effect, late effects, fail, retired processes)', async () => {
    await fc.assert(
      fc.asyncProperty(genParams(KINDS, 40), async (p) => {
        const h = simulate(p);
        const r = await checkLinearizable(h, opts(p.kind, { witness: true }));
        assert.equal(r.valid, true, `expected valid: ${r.reason}\n${h.map((o) => JSON.stringify(o)).join('\n')}`);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the brute-force oracle on small histories, valid or not', async () => {
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(genParams(KINDS, 7, 4), fc.array(fc.nat(), { maxLength: 2 })).map(([p, picks]) => ({ kind: p.kind, history: corrupt(simulate(p), picks) })),
        async ({ kind, history }) => {
          const model = keyedModel(namedModel(kind, kind === 'kv' ? '' : undefined));
          const expected = bruteForceLinearizable(history, model);
          if (!expected) invalid++;
          assert.equal(await verdict(history, kind), expected);
        },
      ),
      { numRuns: 600 },
    );
    assert.ok(invalid > 30, `the generator should produce violations too (got ${invalid})`);
  });

  it('renaming processes does not change the verdict', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, fc.integer({ min: 1, max: 1000 }), async ({ kind, history }, shift) => {
        const renamed = history.map((op) => ({ ...op, process: typeof op.process === 'number' ? (op.process * 7919 + shift) % 100_003 : op.process }));
        assert.equal(await verdict(renamed, kind), await verdict(history, kind));
      }),
      { numRuns: 150 },
    );
  });

  it('swapping adjacent invokes of different processes (no precedence changes) does not change the verdict', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, fc.nat(), async ({ kind, history }, at) => {
        const spots = history.flatMap((op, i) => (i + 1 < history.length && op.type === 'invoke' && history[i + 1].type === 'invoke' ? [i] : []));
        fc.pre(spots.length > 0);
        const i = spots[at % spots.length];
        const swapped = [...history];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
        assert.equal(await verdict(reindex(swapped), kind), await verdict(history, kind));
      }),
      { numRuns: 150 },
    );
  });

  it('checking per key gives the same verdict as one search over all keys', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, async ({ kind, history }) => {
        const whole = await checkLinearizable(history, { model: keyedModel(namedModel(kind, kind === 'kv' ? '' : undefined)) });
        assert.equal(whole.valid, await verdict(history, kind));
      }),
      { numRuns: 200 },
    );
  });

  it('adding fail ops changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 })), { minLength: 1, maxLength: 4 }), async ({ kind, history }, adds) => {
        const ops = [...history];
        let pid = 10_000;
        for (const [at, v] of adds) {
          const pos = at % (ops.length + 1);
          const f = kind === 'kv' ? 'put' : kind === 'set' ? 'add' : 'write';
          const value = kind === 'kv' ? 'zz' : 90 + v;
          const p = pid++;
          ops.splice(pos, 0, { ...ops[0], type: 'invoke', process: p, f, key: 'k0', value }, { ...ops[0], type: 'fail', process: p, f, key: 'k0', value: null });
        }
        assert.equal(await verdict(reindex(ops), kind), await verdict(history, kind));
      }),
      { numRuns: 150 },
    );
  });

  it('weakening an ok write to info never turns valid into invalid', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, fc.nat(), async ({ kind, history }, at) => {
        const writes = history.flatMap((op, i) => (op.type === 'ok' && ['write', 'put', 'append', 'add', 'remove'].includes(op.f) ? [i] : []));
        fc.pre(writes.length > 0);
        const i = writes[at % writes.length];
        const weakened = history.map((op, j) => (j === i ? { ...op, type: 'info' as const, value: null } : op));
        if ((await verdict(history, kind)) === true) assert.equal(await verdict(weakened, kind), true);
      }),
      { numRuns: 150 },
    );
  });

  it('deleting an ok read keeps a linearizable history linearizable', async () => {
    await fc.assert(
      fc.asyncProperty(genParams(KINDS, 30), fc.nat(), async (p, at) => {
        const history = simulate(p);
        const reads = history.flatMap((op, i) => (op.type === 'ok' && ['read', 'get', 'contains'].includes(op.f) ? [i] : []));
        fc.pre(reads.length > 0);
        const done = history[reads[at % reads.length]];
        const inv = history.filter((op) => op.process === done.process && op.index < done.index).at(-1)!;
        const kept = history.filter((op) => op !== done && op !== inv);
        assert.equal(await verdict(reindex(kept), p.kind), true);
      }),
      { numRuns: 150 },
    );
  });

  it('symmetry pruning never changes a verdict', async () => {
    await fc.assert(
      fc.asyncProperty(anyHistory, async ({ kind, history }) => {
        assert.equal(await verdict(history, kind, { symmetry: false }), await verdict(history, kind));
      }),
      { numRuns: 300 },
    );
  });

  it("the models' pruning knowledge (reads first, failed cas, kv growth) never changes a verdict", async () => {
    // The same model without isReadOnly, observesOnly, grows and canGrowInto: a search that tries every order.
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(genParams(KINDS, 40, 8), fc.array(fc.nat(), { maxLength: 2 })).map(([p, picks]) => ({ kind: p.kind, history: corrupt(simulate(p), picks) })),
        async ({ kind, history }) => {
          const { isReadOnly: _r, observesOnly: _o, grows: _g, canGrowInto: _c, ...plain } = namedModel(kind, kind === 'kv' ? '' : undefined);
          const without = await checkLinearizable(history, { model: plain, budgetMs: 2000 });
          if (without.valid === 'unknown') return;
          compared++;
          assert.equal(await verdict(history, kind), without.valid);
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(compared >= 270, `only ${compared} histories were decided without the pruning`);
  });

  it('two threads give the same verdicts as one', async () => {
    let parallelRuns = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), fc.array(fc.tuple(genParams(KINDS, 40), fc.array(fc.nat(), { maxLength: 2 })), { minLength: 40, maxLength: 60 }), async (kind, hs) => {
        // Many keys in one history, so the check crosses the threshold for using a worker thread.
        const ops = hs
          .map(([p, picks]) => corrupt(simulate({ ...p, kind }), picks))
          .flatMap((history, j) => history.map((op) => ({ ...op, key: `${j}/${op.key}`, process: (op.process as number) + j * 1000 })));
        const merged = reindex(ops);
        const one = await checkLinearizable(merged, opts(kind));
        const two = await checkLinearizable(merged, opts(kind, { workers: 2, parallelAfterMs: 0 }));
        if ((two.stats as { workers: number }).workers === 2) parallelRuns++;
        assert.equal(two.valid, one.valid);
      }),
      { numRuns: 30 },
    );
    assert.ok(parallelRuns >= 3, `only ${parallelRuns} runs used a worker thread`);
  });

  it('the witness of a valid history replays through the model and respects real time', async () => {
    await fc.assert(
      fc.asyncProperty(genParams(KINDS, 30), async (p) => {
        const h = simulate(p);
        const r = await checkLinearizable(h, opts(p.kind, { witness: true }));
        assert.equal(r.valid, true);
        const byLine = new Map(h.map((op) => [op.line, op]));
        const completion = (inv: IndexedOp) => h.find((op) => op.process === inv.process && op.index > inv.index);
        const model = namedModel(p.kind, p.kind === 'kv' ? '' : undefined);
        for (const [key, part] of Object.entries(r.partitions as Record<string, { witness: number[] }>)) {
          let s = model.init();
          const placed: IndexedOp[] = [];
          for (const line of part.witness) {
            const inv = byLine.get(line)!;
            const done = completion(inv);
            const step = model.step(s, { f: inv.f, key: inv.key, value: inv.value }, done?.type === 'ok' ? done.value : UNKNOWN);
            assert.ok(step.ok, `witness step at line ${line} is illegal`);
            s = step.next;
            for (const earlier of placed) {
              assert.ok(!(done?.type === 'ok' && done.index < earlier.index), `line ${line} completed before line ${earlier.line} was invoked, yet is placed after it`);
            }
            placed.push(inv);
          }
          for (const inv of h.filter((op) => op.type === 'invoke' && op.key === key && completion(op)?.type === 'ok')) {
            assert.ok(part.witness.includes(inv.line), `ok op at line ${inv.line} is missing from the witness`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
