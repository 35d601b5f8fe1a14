import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkListAppend, checkRwRegister } from '../../../checkers/elle/index.ts';
import type { CheckResult } from '../../../harness/core/checker.ts';
import type { Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import { simulate, type SimOptions } from './sim.ts';

const SI_ALLOWED = new Set(['G2-item', 'G2-item-process', 'G2-item-realtime']);
const EMPTY_GRAPH = 'empty-transaction-graph';

/**
 * A small history may relate no two transactions by any edge the models care about (every read failed, say); then
 * nothing can be inferred and the verdict is unknown, as in Elle. Otherwise `valid` must be `expected`.
 */
function assertVerdict(r: CheckResult, expected: true): void {
  if ((r.anomalyTypes as string[]).includes(EMPTY_GRAPH)) {
    assert.equal(r.valid, 'unknown');
    assert.match(r.reason as string, /dependency between transactions could be inferred/);
  } else {
    assert.equal(r.valid, expected, JSON.stringify(r.reason));
  }
}

const simArb = (isolation: SimOptions['isolation']): fc.Arbitrary<SimOptions> =>
  fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    txns: fc.integer({ min: 10, max: 150 }),
    processes: fc.integer({ min: 1, max: 8 }),
    isolation: fc.constant(isolation),
    activeKeys: fc.integer({ min: 1, max: 6 }),
    writesPerKey: fc.integer({ min: 2, max: 20 }),
    maxMops: fc.integer({ min: 1, max: 6 }),
    failRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
    infoRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  });

describe('elle list-append: simulated databases', function () {
  this.timeout(120_000);

  it('a serializable database (strict, with aborts and indeterminate outcomes) shows no anomaly', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('serializable'), async (o) => {
        const r = await checkListAppend(indexOps(simulate(o).ops));
        assert.deepEqual((r.anomalyTypes as string[]).filter((t) => t !== EMPTY_GRAPH), []);
        assertVerdict(r, true);
      }),
      { numRuns: 80 },
    );
  });

  it('a snapshot-isolation database shows only G2-item (write skew), never G0, G1 or G-single-item', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('snapshot-isolation'), async (o) => {
        const r = await checkListAppend(indexOps(simulate(o).ops), { consistencyModels: ['snapshot-isolation'] });
        for (const t of r.anomalyTypes as string[]) assert.ok(SI_ALLOWED.has(t) || t === EMPTY_GRAPH, `unexpected ${t}`);
        assertVerdict(r, true);
        for (const cycles of Object.values(r.anomalies as Record<string, { txns: { index: number }[] }[]>)) {
          for (const c of cycles) assert.equal(new Set(c.txns.map((t) => t.index)).size, c.txns.length, 'a cycle visits a transaction twice');
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a snapshot-isolation database under contention does show write skew, rejected by serializable', async () => {
    let withSkew = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const ops = indexOps(simulate({ seed, txns: 300, processes: 6, isolation: 'snapshot-isolation', activeKeys: 4, writesPerKey: 10 }).ops);
      const r = await checkListAppend(ops, { consistencyModels: ['serializable'] });
      if ((r.anomalyTypes as string[]).includes('G2-item')) {
        withSkew++;
        assert.equal(r.valid, false);
        assert.deepEqual(r.not, ['repeatable-read']);
      }
    }
    assert.ok(withSkew >= 5, `only ${withSkew} of 10 SI histories showed G2-item`);
  });
});

describe('elle rw-register: simulated databases', function () {
  this.timeout(120_000);

  it('a serializable register database shows no anomaly', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('serializable'), async (o) => {
        const r = await checkRwRegister(indexOps(simulate({ ...o, workload: 'rw-register' }).ops));
        assert.deepEqual((r.anomalyTypes as string[]).filter((t) => t !== EMPTY_GRAPH), []);
        assertVerdict(r, true);
      }),
      { numRuns: 60 },
    );
  });

  it('a register history with no inferable dependency is unknown, saying so (a case the property once drew)', async () => {
    const o: SimOptions = { seed: 474007234, txns: 10, processes: 5, isolation: 'snapshot-isolation', activeKeys: 1, writesPerKey: 2, maxMops: 4, failRate: 0.05678746174089611, infoRate: 0 };
    const r = await checkRwRegister(indexOps(simulate({ ...o, workload: 'rw-register' }).ops), { consistencyModels: ['snapshot-isolation'] });
    assert.ok((r.anomalyTypes as string[]).includes(EMPTY_GRAPH), JSON.stringify(r.anomalyTypes));
    assertVerdict(r, true);
  });

  it('a snapshot-isolation register database shows at most write skew, and does show it under contention', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('snapshot-isolation'), async (o) => {
        const r = await checkRwRegister(indexOps(simulate({ ...o, workload: 'rw-register' }).ops), { consistencyModels: ['snapshot-isolation'] });
        for (const t of r.anomalyTypes as string[]) assert.ok(SI_ALLOWED.has(t) || t === EMPTY_GRAPH, `unexpected ${t}`);
        assertVerdict(r, true);
      }),
      { numRuns: 60 },
    );
    let withSkew = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const ops = indexOps(simulate({ seed, txns: 300, processes: 6, isolation: 'snapshot-isolation', workload: 'rw-register', activeKeys: 3, writesPerKey: 10 }).ops);
      if (((await checkRwRegister(ops)).anomalyTypes as string[]).includes('G2-item')) withSkew++;
    }
    assert.ok(withSkew >= 3, `only ${withSkew} of 10 SI register histories showed G2-item`);
  });
});

/** Transactions appended after a simulated history, on fresh processes, in the order given. */
class Tail {
  private time: number;
  private process = 100_000;
  private elem = 1_000_000_000;
  constructor(readonly ops: Op[]) {
    this.time = ops.length > 0 ? ops[ops.length - 1].time : 0;
  }
  fresh(): number {
    return this.elem++;
  }
  invoke(value: unknown[][]): number {
    const p = this.process++;
    this.ops.push({ type: 'invoke', process: p, f: 'txn', value: value.map(([f, k, v]) => (f === 'r' ? ['r', k, null] : [f, k, v])), time: (this.time += 1000) });
    return p;
  }
  complete(p: number, type: 'ok' | 'fail', value: unknown[][]): void {
    this.ops.push({ type, process: p, f: 'txn', value, time: (this.time += 1000) });
  }
  txn(value: unknown[][], type: 'ok' | 'fail' = 'ok'): void {
    this.complete(this.invoke(value), type, value);
  }
}

type Injection = { name: string; minLength: number; expect: (types: string[]) => boolean; inject: (t: Tail, k: number, l: number[], i: number) => void };

const has = (...want: string[]) => (types: string[]) => want.every((w) => types.includes(w));

const injections: Injection[] = [
  {
    name: 'dropped element in a read → incompatible order or G-single-item',
    minLength: 2,
    expect: (ts) => ts.includes('incompatible-order') || ts.some((t) => t.startsWith('G-single-item')),
    inject: (t, k, l, i) => {
      t.txn([['r', k, l]]);
      t.txn([['r', k, l.filter((_, j) => j !== i % l.length)]]);
    },
  },
  {
    name: 'swapped elements → incompatible order',
    minLength: 2,
    expect: has('incompatible-order'),
    inject: (t, k, l, i) => {
      const j = i % (l.length - 1);
      const swapped = [...l];
      [swapped[j], swapped[j + 1]] = [swapped[j + 1], swapped[j]];
      t.txn([['r', k, l]]);
      t.txn([['r', k, swapped]]);
    },
  },
  {
    name: 'stale read after a later commit → G-single-item-realtime',
    minLength: 0,
    expect: has('G-single-item-realtime'),
    inject: (t, k, l) => {
      t.txn([['append', k, t.fresh()]]);
      t.txn([['r', k, l]]);
    },
  },
  {
    name: 'two concurrent transactions read the same prefix and append → lost update + G2-item',
    minLength: 0,
    expect: has('lost-update', 'G2-item'),
    inject: (t, k, l) => {
      const a = [['r', k, l], ['append', k, t.fresh()]];
      const b = [['r', k, l], ['append', k, t.fresh()]];
      const pa = t.invoke(a), pb = t.invoke(b);
      t.complete(pa, 'ok', a);
      t.complete(pb, 'ok', b);
    },
  },
  {
    name: 'read of an aborted append → G1a',
    minLength: 0,
    expect: has('G1a'),
    inject: (t, k, l) => {
      const e = t.fresh();
      t.txn([['append', k, e]], 'fail');
      t.txn([['r', k, [...l, e]]]);
    },
  },
  {
    name: 'read ending at an intermediate append → G1b',
    minLength: 0,
    expect: has('G1b'),
    inject: (t, k, l) => {
      const e1 = t.fresh(), e2 = t.fresh();
      t.txn([['append', k, e1], ['append', k, e2]]);
      t.txn([['r', k, [...l, e1]]]);
    },
  },
  {
    name: 'transaction missing its own append → internal',
    minLength: 0,
    expect: has('internal'),
    inject: (t, k, l) => {
      t.txn([['append', k, t.fresh()], ['r', k, l]]);
    },
  },
];

describe('elle list-append: injected faults in serializable histories', function () {
  this.timeout(120_000);
  for (const inj of injections) {
    it(inj.name, async () => {
      await fc.assert(
        fc.asyncProperty(simArb('serializable'), fc.nat(), fc.nat(), async (o, keyPick, i) => {
          const { ops, final } = simulate({ ...o, failRate: (o.failRate ?? 0) / 2 });
          const candidates = [...final].filter(([, l]) => l.length >= inj.minLength);
          if (inj.minLength === 0) candidates.push([-1, []]);
          fc.pre(candidates.length > 0);
          const [k, l] = candidates[keyPick % candidates.length];
          inj.inject(new Tail(ops), k, l, i);
          const r = await checkListAppend(indexOps(ops));
          assert.ok(inj.expect(r.anomalyTypes as string[]), `got ${JSON.stringify(r.anomalyTypes)}`);
          assert.equal(r.valid, false);
        }),
        { numRuns: 40 },
      );
    });
  }
});

describe('elle list-append: metamorphic properties', function () {
  this.timeout(120_000);
  const typesOf = async (ops: Op[]): Promise<string[]> => (await checkListAppend(indexOps(ops))).anomalyTypes as string[];

  it('renaming processes changes no finding', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('snapshot-isolation'), fc.integer({ min: 1, max: 1000 }), async (o, shift) => {
        const { ops } = simulate(o);
        const renamed = ops.map((op) => ({ ...op, process: (op.process as number) * 7 + shift }));
        assert.deepEqual(await typesOf(renamed), await typesOf(ops));
      }),
      { numRuns: 30 },
    );
  });

  it('adding failed transactions that nobody read changes no finding', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('snapshot-isolation'), fc.array(fc.nat(), { maxLength: 10 }), async (o, spots) => {
        const { ops } = simulate(o);
        const extended = [...ops];
        let p = 500_000, e = 2_000_000_000;
        for (const s of spots.sort((a, b) => b - a)) {
          const at = s % (extended.length + 1);
          const time = at < extended.length ? extended[at].time : (extended[extended.length - 1]?.time ?? 0);
          const value = [['append', s % 5, e++], ['r', s % 3, null]];
          extended.splice(at, 0, { type: 'invoke', process: p, f: 'txn', value, time }, { type: 'fail', process: p, f: 'txn', value, time });
          p++;
        }
        assert.deepEqual(await typesOf(extended), await typesOf(ops));
      }),
      { numRuns: 30 },
    );
  });

  it('turning a process\'s last ok transaction into info keeps a serializable history clean', async () => {
    await fc.assert(
      fc.asyncProperty(simArb('serializable'), fc.nat(), async (o, pick) => {
        const { ops } = simulate(o);
        const lastCompletion = new Map<number, number>();
        ops.forEach((op, i) => {
          if (op.type !== 'invoke') lastCompletion.set(op.process as number, i);
        });
        const oks = [...lastCompletion.values()].filter((i) => ops[i].type === 'ok');
        fc.pre(oks.length > 1);
        const i = oks[pick % oks.length];
        const invoke = ops.slice(0, i).reverse().find((op) => op.process === ops[i].process && op.type === 'invoke')!;
        const weakened = ops.map((op, j) => (j === i ? { ...op, type: 'info' as const, value: invoke.value } : op));
        assert.deepEqual(await typesOf(weakened), []);
      }),
      { numRuns: 40 },
    );
  });
});
