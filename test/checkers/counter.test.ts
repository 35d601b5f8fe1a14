import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { admissibleFinals, checkCounter, counterChecker, inIntervals } from '../../checkers/counter.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
let clock = 0;
const incr = (process: number, delta: number, type: T, region = 'a'): Op[] => [
  { type: 'invoke', process, f: 'incr', key: 'c', value: delta, time: clock++, region },
  { type, process, f: 'incr', key: 'c', value: delta, time: clock++, region },
];
const read = (process: number, value: unknown, region = 'a', final = false): Op[] => [
  { type: 'invoke', process, f: 'read', key: 'c', value: null, time: clock++, region, ...(final ? { meta: { final: true } } : {}) },
  { type: 'ok', process, f: 'read', key: 'c', value, time: clock++, region, ...(final ? { meta: { final: true } } : {}) },
];

describe('checkers/counter', () => {
  describe('admissibleFinals', () => {
    it('is the exact set of subset sums, merging touching integer intervals', () => {
      assert.deepEqual(admissibleFinals(10, []).intervals, [[10, 10]]);
      assert.deepEqual(admissibleFinals(10, [5]).intervals, [[10, 10], [15, 15]]);
      assert.deepEqual(admissibleFinals(0, [1, 1, 1]).intervals, [[0, 3]]);
      assert.deepEqual(admissibleFinals(0, [10, -1]).intervals, [[-1, 0], [9, 10]]);
    });

    it('widens to the hull when the interval cap is hit, and says so', () => {
      const r = admissibleFinals(0, [1, 100, 10_000], 3);
      assert.equal(r.exact, false);
      assert.deepEqual(r.intervals, [[0, 10_101]]);
    });

    it('property: every subset of info deltas is admissible, and exactly the subset sums are', () => {
      fc.assert(
        fc.property(fc.integer({ min: -50, max: 50 }), fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 10 }), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (ok, infos, pick) => {
          const { intervals, exact } = admissibleFinals(ok, infos);
          assert.ok(exact);
          const subset = ok + infos.reduce((s, d, i) => s + (pick[i] ? d : 0), 0);
          assert.ok(inIntervals(intervals, subset));
          const sums = new Set<number>([ok]);
          for (const d of infos) for (const s of [...sums]) sums.add(s + d);
          for (let v = ok - 250; v <= ok + 250; v++) assert.equal(inIntervals(intervals, v), sums.has(v), `value ${v}`);
        }),
      );
    });
  });

  it('accepts finals equal to ok deltas plus a subset of info deltas, in every region', () => {
    const h = indexOps([...incr(0, 3, 'ok'), ...incr(1, 5, 'info'), ...incr(2, 7, 'fail'), ...read(3, 3, 'a'), ...read(4, 8, 'a', true), ...read(5, 3, 'b', true)]);
    const r = checkCounter(h);
    assert.equal(r.valid, true, String(r.reason));
  });

  it('rejects a final read that no subset explains, naming the line and region', () => {
    const h = indexOps([...incr(0, 3, 'ok'), ...incr(1, 5, 'info'), ...incr(2, 7, 'fail'), ...read(4, 10, 'b', true)]);
    const r = checkCounter(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts['final-not-admissible'], 1);
    assert.equal(r.anomalies[0].line, 8);
    assert.equal(r.anomalies[0].region, 'b');
    assert.deepEqual(r.keys.c.admissible, [[3, 3], [8, 8]]);
  });

  it('a failed increment showing up is not admissible', () => {
    const h = indexOps([...incr(0, 1, 'ok'), ...incr(1, 7, 'fail'), ...read(2, 8, 'a', true)]);
    assert.equal(checkCounter(h).valid, false);
  });

  it('rejects a read above everything invoked before it completed', () => {
    const h = indexOps([...incr(0, 2, 'ok'), ...read(1, 3), ...incr(0, 1, 'ok')]);
    const r = checkCounter(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts['read-out-of-bounds'], 1);
  });

  it('allows a stale read unless the counter claims linearizability', () => {
    const h = indexOps([...incr(0, 2, 'ok'), ...read(1, 0, 'b'), ...read(2, 2, 'b', true)]);
    assert.equal(checkCounter(h).valid, true);
    assert.equal(checkCounter(h, { linearizable: true }).valid, false);
  });

  it('flags a G-counter going backwards in one region, but not across regions or with negative deltas', () => {
    const h = indexOps([...incr(0, 2, 'ok'), ...read(1, 2, 'a'), ...read(2, 0, 'b'), ...read(3, 1, 'a')]);
    const r = checkCounter(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts['region-regression'], 1);
    assert.equal(r.anomalies[0].line, h[h.length - 1].line);
    const pn = indexOps([...incr(0, 2, 'ok'), ...incr(0, -1, 'ok'), ...read(1, 2, 'a'), ...read(3, 1, 'a')]);
    assert.equal(checkCounter(pn).valid, true);
  });

  it('property: a simulated PN-counter over regions, with decrements, is never flagged; a read past the bounds is', () => {
    // Each step: an increment or decrement (±1..5) in a region, a read in a region, or a region receiving another's
    // increments. A region's value is the sum of the increments it has, so it may be negative and may go down.
    const step = fc.oneof(
      fc.record({ kind: fc.constant('incr' as const), region: fc.nat(2), delta: fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0) }),
      fc.record({ kind: fc.constant('read' as const), region: fc.nat(2) }),
      fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const names = ['a', 'b', 'c'];
        const has: Set<number>[] = names.map(() => new Set());
        const deltas: number[] = [];
        const ops: Op[] = [];
        let p = 0;
        const value = (r: number) => [...has[r]].reduce((sum, i) => sum + deltas[i], 0);
        for (const s of steps) {
          if (s.kind === 'incr') {
            has[s.region].add(deltas.push(s.delta) - 1);
            ops.push(...incr(p++, s.delta, 'ok', names[s.region]));
          } else if (s.kind === 'read') ops.push(...read(p++, value(s.region), names[s.region]));
          else for (const i of has[s.from]) has[s.to].add(i);
        }
        for (let r = 0; r < 3; r++) has[r] = new Set(deltas.map((_, i) => i));
        for (let r = 0; r < 3; r++) ops.push(...read(p++, value(r), names[r], true));
        assert.equal(checkCounter(indexOps(ops)).valid, true);
        const pos = deltas.filter((d) => d > 0).reduce((a, b) => a + b, 0);
        const neg = deltas.filter((d) => d < 0).reduce((a, b) => a + b, 0);
        assert.equal(checkCounter(indexOps([...ops, ...read(p++, pos + 1, 'a')])).valid, false, 'above every increment');
        assert.equal(checkCounter(indexOps([...ops, ...read(p++, neg - 1, 'b')])).valid, false, 'below every decrement');
      }),
      { numRuns: 200 },
    );
  });

  it('treats a null read as 0 and reports a non-numeric delta as malformed (unknown)', () => {
    assert.equal(checkCounter(indexOps([...read(0, null, 'a', true)])).valid, true);
    const bad = checkCounter(indexOps([...incr(0, 'x' as unknown as number, 'ok'), ...read(1, 0, 'a', true)])) as any;
    assert.equal(bad.valid, 'unknown');
    assert.equal(bad.anomalies[0].kind, 'malformed');
    assert.equal(bad.anomalies[0].line, 1);
  });

  it('leaves keys of other data types alone', () => {
    const h = indexOps([
      ...incr(0, 1, 'ok'),
      ...read(1, 1, 'a', true),
      { type: 'invoke', process: 2, f: 'add', key: 's', value: 5, time: clock++ },
      { type: 'ok', process: 2, f: 'add', key: 's', value: 5, time: clock++ },
      { type: 'invoke', process: 2, f: 'read', key: 's', value: null, time: clock++ },
      { type: 'ok', process: 2, f: 'read', key: 's', value: [5], time: clock++ },
    ]);
    const r = checkCounter(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.deepEqual(Object.keys(r.keys), ['c']);
  });

  it('says what it could not check without final reads', async () => {
    const r = await counterChecker().check(indexOps([...incr(0, 1, 'ok'), ...read(1, 1)]), {});
    assert.equal(r.valid, true);
    assert.match(String((r.unchecked as string[])[0]), /no final reads/);
    assert.equal((await counterChecker().check([], {})).valid, 'unknown');
  });
});
