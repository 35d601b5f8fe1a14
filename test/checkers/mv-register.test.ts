import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkMvRegister, mvRegisterChecker } from '../../checkers/mv-register.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
let t = 0;
const tick = () => (t += 1e6);
const write = (process: number, v: number, type: T, region: string, vclock?: Record<string, number>): Op[] => [
  { type: 'invoke', process, f: 'write', key: 'm', value: v, time: tick(), region },
  { type, process, f: 'write', key: 'm', value: v, time: tick(), region, ...(type === 'ok' && vclock ? { meta: { vclock } } : {}) },
];
const read = (process: number, value: unknown, region: string): Op[] => [
  { type: 'invoke', process, f: 'read', key: 'm', value: null, time: tick(), region, meta: { final: true } },
  { type: 'ok', process, f: 'read', key: 'm', value, time: tick(), region, meta: { final: true } },
];

describe('checkers/mv-register', () => {
  it('valid: concurrent writes both show, a write that saw another replaces it', () => {
    const h = indexOps([
      ...write(0, 1, 'ok', 'a', { a: 1 }),
      ...write(1, 2, 'ok', 'b', { a: 1, b: 1 }),
      ...write(2, 3, 'ok', 'c', { c: 1 }),
      ...read(3, [2, 3], 'a'),
      ...read(4, [3, 2], 'b'),
    ]);
    const r = checkMvRegister(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.concurrentWrites, 2);
  });

  it('flags a dropped sibling, an overwritten value still showing, and a value never written', () => {
    const h = indexOps([
      ...write(0, 1, 'ok', 'a', { a: 1 }),
      ...write(1, 2, 'ok', 'b', { a: 1, b: 1 }),
      ...write(2, 3, 'ok', 'c', { c: 1 }),
      ...read(3, [3], 'a'),
      ...read(4, [1, 2, 3], 'b'),
      ...read(5, [2, 3, 9], 'c'),
    ]);
    const r = checkMvRegister(h) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.counts, { keys: 1, finalReads: 3, concurrentWrites: 2, lostSibling: 1, overwritten: 1, unexpected: 1 });
    assert.equal(r.lostSibling[0].value, 2);
    assert.equal(r.overwritten[0].value, 1);
  });

  it('with readsSeeLocalWrites, flags a sibling missing from a later read in its own region', () => {
    const plain = (process: number, value: unknown, region: string): Op[] => [
      { type: 'invoke', process, f: 'read', key: 'm', value: null, time: tick(), region },
      { type: 'ok', process, f: 'read', key: 'm', value, time: tick(), region },
    ];
    const h = indexOps([
      ...write(0, 1, 'ok', 'a', { a: 1 }),
      ...write(1, 2, 'ok', 'b', { b: 1 }),
      ...plain(2, [2], 'b'),
      ...plain(2, [2], 'a'),
      ...read(3, [1, 2], 'a'),
    ]);
    assert.equal(checkMvRegister(h).valid, true, 'without the option only final reads count');
    const r = checkMvRegister(h, { readsSeeLocalWrites: true }) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.lostSibling, [{ key: 'm', value: 1, region: 'a', line: 8, write: 2, during: true }]);
    // A later write that saw it may take its place.
    const replaced = indexOps([
      ...write(0, 1, 'ok', 'a', { a: 1 }),
      ...write(1, 2, 'ok', 'b', { a: 1, b: 1 }),
      ...plain(2, [2], 'a'),
      ...read(3, [2], 'a'),
    ]);
    assert.equal(checkMvRegister(replaced, { readsSeeLocalWrites: true }).valid, true);
  });

  it('a write of unknown outcome excuses missing siblings and may show; a single value reads as itself', () => {
    const h = indexOps([
      ...write(0, 1, 'ok', 'a', { a: 1 }),
      ...write(2, 3, 'ok', 'c', { c: 1 }),
      ...write(1, 2, 'info', 'b'),
      ...read(3, [2], 'a'),
    ]);
    assert.equal(checkMvRegister(h).valid, true);
    assert.equal(checkMvRegister(indexOps([...write(0, 1, 'ok', 'a', { a: 1 }), ...read(3, 1, 'a')])).valid, true);
  });

  it('no final reads, or writes without clocks, are unknown', async () => {
    assert.equal((await mvRegisterChecker().check(indexOps(write(0, 1, 'ok', 'a', { a: 1 })), {})).valid, 'unknown');
    const r = checkMvRegister(indexOps([...write(0, 1, 'ok', 'a'), ...read(3, [1], 'a')])) as any;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.unchecked.length, 1);
  });

  it('property: the maximal writes of any causal history read back are valid; dropping one is flagged', () => {
    // Writes in random regions, each having seen a random prefix of the earlier writes (its clock is their join plus itself).
    const arb = fc.array(fc.record({ region: fc.constantFrom('a', 'b', 'c'), saw: fc.nat() }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(arb, (ws) => {
        const clocks: Record<string, number>[] = [];
        const counters: Record<string, number> = {};
        const ops: Op[] = [];
        ws.forEach((w, i) => {
          const c: Record<string, number> = {};
          for (const prev of clocks.slice(0, i === 0 ? 0 : w.saw % (i + 1))) for (const [r, n] of Object.entries(prev)) c[r] = Math.max(c[r] ?? 0, n);
          counters[w.region] = Math.max(counters[w.region] ?? 0, c[w.region] ?? 0) + 1;
          c[w.region] = counters[w.region];
          clocks.push(c);
          ops.push(...write(i, i + 1, 'ok', w.region, c));
        });
        const dominated = (i: number) => clocks.some((o, j) => j !== i && Object.keys({ ...o, ...clocks[i] }).every((r) => (o[r] ?? 0) >= (clocks[i][r] ?? 0)) && JSON.stringify(o) !== JSON.stringify(clocks[i]));
        const maximal = clocks.map((_, i) => i + 1).filter((v) => !dominated(v - 1));
        assert.equal(checkMvRegister(indexOps([...ops, ...read(99, maximal, 'a')])).valid, true);
        assert.equal(checkMvRegister(indexOps([...ops, ...read(99, maximal.slice(1), 'a')])).valid, false);
      }),
      { numRuns: 200 },
    );
  });
});
