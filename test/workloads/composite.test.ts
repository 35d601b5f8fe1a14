import { strict as assert } from 'node:assert';
import { compositeWorkload, tagged } from '../../workloads/composite.ts';
import { workloads, TIERS_PARTS } from '../../workloads/index.ts';
import type { GenContext, Generator } from '../../harness/core/generator.ts';
import type { Workload, WorkloadOptions } from '../../harness/core/workload.ts';
import { clientOps } from '../../harness/generator/basic.ts';
import { indexOps } from '../../harness/history/reader.ts';

let seed = 1;
const ctx = (): GenContext => ({
  time: 0, freeProcesses: [0, 1, 2], busyProcesses: [], regionOf: (p) => ['a', 'b', 'c'][p % 3],
  random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
});
const take = (g: Generator, n: number) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = g.op(ctx());
    if (!r || 'pending' in r) break;
    out.push(r.op);
    g = r.next;
  }
  return out;
};
const opts: WorkloadOptions = { regions: ['a', 'b', 'c'] };

describe('workloads/composite', () => {
  it('tagged marks every operation with its part and keeps the generator\'s own meta', () => {
    const ops = take(tagged(clientOps(() => ({ f: 'read', key: 'k', value: null, meta: { final: true } })), 'p1'), 3);
    assert.equal(ops.length, 3);
    for (const op of ops) assert.deepEqual(op.meta, { final: true, part: 'p1' });
  });

  it('runs the registered builders: replacing a part\'s workload is what the composite runs', () => {
    const fake = (name: string) => (o: WorkloadOptions): Workload => ({
      name, fs: new Set([name]), checkers: [{ name: `${name}-check`, check: async () => ({ valid: true }) }],
      generator: clientOps(() => ({ f: name, key: `${o.keyPrefix ?? 'own/'}k`, value: null })),
    });
    const w = compositeWorkload('mix', [{ part: 'x', workload: 'one', keyPrefix: 'x/', weight: 1 }, { part: 'y', workload: 'two', weight: 1 }],
      { one: fake('one'), two: fake('two') }, { ...opts, keyPrefix: 'ignored/' });
    assert.deepEqual([...w.fs].sort(), ['one', 'two']);
    assert.deepEqual(w.checkers.map((c) => c.name), ['one-check [x/*]', 'two-check [two keys]']);
    const ops = take(w.generator, 40);
    assert.ok(ops.some((o) => o.meta?.part === 'x' && o.key === 'x/k'));
    assert.ok(ops.some((o) => o.meta?.part === 'y' && o.key === 'own/k'), 'a part without a prefix keeps its workload\'s own keys');
    assert.throws(() => compositeWorkload('bad', [{ part: 'z', workload: 'nope', weight: 1 }], {}, opts), /part z names unknown workload "nope"/);
  });

  it('a scoped checker judges only its part\'s operations (plus faults)', async () => {
    let seen: number[] = [];
    const w = compositeWorkload('mix', [{ part: 'x', workload: 'one', weight: 1 }], {
      one: () => ({ name: 'one', fs: new Set(), generator: clientOps(() => undefined), checkers: [{ name: 'c', check: async (h) => { seen = h.map((o) => o.line); return { valid: true }; } }] }),
    }, opts);
    const h = indexOps([
      { type: 'invoke', process: 0, f: 'read', key: 'a', value: null, time: 1, meta: { part: 'x' } },
      { type: 'invoke', process: 1, f: 'read', key: 'b', value: null, time: 2, meta: { part: 'y' } },
      { type: 'invoke', process: 'nemesis', f: 'kill', value: 'a', time: 3 },
    ]);
    await w.checkers[0].check(h, {});
    assert.deepEqual(seen, [1, 3]);
    assert.deepEqual(w.checkers[0].scope, { part: 'x', label: 'one keys', checker: 'c' });
    const prefixed = compositeWorkload('mix', [{ part: 'x', workload: 'one', keyPrefix: 'critical/x/', weight: 1 }], {
      one: () => ({ name: 'one', fs: new Set(), generator: clientOps(() => undefined), checkers: [{ name: 'c', check: async () => ({ valid: true }) }] }),
    }, opts);
    assert.equal(prefixed.checkers[0].scope?.keyPrefix, 'critical/x/');
  });

  it('the default "tiers" workload covers the critical and hot tiers and the normal tier\'s registers, set, counter and sessions', () => {
    const w = workloads.tiers(opts);
    const names = w.checkers.map((c) => c.name);
    for (const n of ['linearizable [critical/register/*]', 'convergence [register/*]', 'stale-reads [register/*]', 'set [set/*]', 'counter [counter/*]', 'session-guarantees [session keys]', 'hot-staleness [hot/register/*]']) {
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    }
    assert.equal(new Set(TIERS_PARTS.map((p) => p.part)).size, TIERS_PARTS.length, 'parts are distinct');
  });

  it('a shared checker runs once over every part that has it, judging their operations together', async () => {
    const seen: string[][] = [];
    const fake = (name: string, withShared: boolean) => (o: WorkloadOptions): Workload => ({
      name, fs: new Set(['write']), generator: clientOps(() => ({ f: 'write', key: `${o.keyPrefix}k`, value: 1 })),
      checkers: [
        { name: `${name}-own`, check: async () => ({ valid: true }) },
        ...(withShared ? [{ name: 'whole', check: async (h: readonly { key?: string }[]) => { seen.push(h.map((op) => op.key!)); return { valid: true }; } }] : []),
      ],
    });
    const w = compositeWorkload('mix', [
      { part: 'x', workload: 'one', keyPrefix: 'x/', weight: 1 },
      { part: 'y', workload: 'two', keyPrefix: 'y/', weight: 1 },
      { part: 'z', workload: 'three', keyPrefix: 'z/', weight: 1 },
    ], { one: fake('one', true), two: fake('two', false), three: fake('three', true) }, opts, new Set(['whole']));
    assert.deepEqual(w.checkers.map((c) => c.name), ['one-own [x/*]', 'two-own [y/*]', 'three-own [z/*]', 'whole [x/*, z/*]']);
    const h = indexOps(['x', 'y', 'z'].flatMap((part, i) => [
      { type: 'invoke' as const, process: i, f: 'write', key: `${part}/k`, value: 1, time: i, meta: { part } },
      { type: 'ok' as const, process: i, f: 'write', key: `${part}/k`, value: 1, time: i, meta: { part } },
    ]));
    await w.checkers[3].check(h, {});
    assert.deepEqual(seen, [['x/k', 'x/k', 'z/k', 'z/k']]);
    assert.deepEqual(w.checkers[3].scope?.part, ['x', 'z']);
  });

  it('the tiers workload judges version order once, over every part but the critical one', () => {
    const w = workloads.tiers(opts);
    const vo = w.checkers.filter((c) => c.name.startsWith('version-order'));
    assert.equal(vo.length, 1);
    assert.ok(!(vo[0].scope!.part as string[]).includes('critical'));
    assert.ok((vo[0].scope!.part as string[]).includes('register') && (vo[0].scope!.part as string[]).includes('session'));
  });
});
