import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkOrSet, orSetChecker } from '../../checkers/or-set.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
type Dot = [string, number];
const MS = 1e6;
let t = 0;
const tick = () => (t += MS);

const write = (process: number, f: 'add' | 'remove', e: unknown, type: T, region: string, orset?: { dot?: Dot; covered: Dot[] }): Op[] => [
  { type: 'invoke', process, f, key: 's', value: e, time: tick(), region },
  { type, process, f, key: 's', value: e, time: tick(), region, ...(type === 'ok' && orset ? { meta: { orset } } : {}) },
];
const read = (process: number, value: unknown[], region: string, final = false): Op[] => [
  { type: 'invoke', process, f: 'read', key: 's', value: null, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
  { type: 'ok', process, f: 'read', key: 's', value, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
];

describe('checkers/or-set', () => {
  it('valid: a remove covers what it saw, a concurrent add from elsewhere survives it (add wins)', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      // b saw a#1 and removed it; c added x concurrently (its own dot, unseen by b's remove)
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...write(2, 'add', 'x', 'ok', 'c', { dot: ['c', 1], covered: [] }),
      ...write(0, 'add', 'y', 'ok', 'a', { dot: ['a', 2], covered: [] }),
      ...write(1, 'remove', 'y', 'ok', 'b', { covered: [['a', 2]] }),
      ...read(3, ['x'], 'a', true),
      ...read(4, ['x'], 'b', true),
    ]);
    const r = checkOrSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.judged, 4);
    assert.equal(r.counts.present, 2);
    assert.equal(r.counts.absent, 2);
  });

  it('flags remove-wins: an element with an add no remove covered is missing from a final read', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...write(2, 'add', 'x', 'ok', 'c', { dot: ['c', 1], covered: [] }),
      ...read(3, [], 'a', true),
      ...read(4, ['x'], 'c', true),
    ]);
    const r = checkOrSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.lost, 1);
    assert.deepEqual(r.lost[0], { key: 's', element: 'x', region: 'a', line: r.lost[0].line, uncoveredAdds: [6] });
  });

  it('with readsSeeLocalWrites, flags an uncovered add missing from a later read in its own region', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...read(1, ['x'], 'b'),
      ...read(2, [], 'a'),
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 2], covered: [] }),
      ...read(3, ['x'], 'a', true),
    ]);
    assert.equal(checkOrSet(h).valid, true, 'without the option only final reads count');
    const r = checkOrSet(h, { readsSeeLocalWrites: true }) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.lost[0], { key: 's', element: 'x', region: 'a', line: 6, uncoveredAdds: [2], during: true });
    // A read in another region may lag; a covered add may go.
    const fine = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...read(1, [], 'b'),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...read(2, [], 'a'),
    ]);
    assert.equal(checkOrSet(fine, { readsSeeLocalWrites: true }).valid, 'unknown');
    assert.equal((checkOrSet(fine, { readsSeeLocalWrites: true }) as any).counts.lost, 0);
  });

  it('flags a resurrected element and an unexpected one', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...read(3, ['x', 'z'], 'a', true),
    ]);
    const r = checkOrSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.resurrected, 1);
    assert.equal(r.counts.unexpected, 1);
    assert.equal(r.unexpected[0].element, 'z');
  });

  it('an add covered by a later add (its dot replaced) and then removed stays absent', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 2], covered: [['a', 1]] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 2]] }),
      ...read(3, [], 'a', true),
    ]);
    assert.equal(checkOrSet(h).valid, true);
  });

  it('unknown outcomes: an info remove excuses absence, an info add excuses presence', () => {
    const absent = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'info', 'b'),
      ...read(3, [], 'a', true),
    ]);
    assert.equal(checkOrSet(absent).valid, true);
    const present = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...write(2, 'add', 'x', 'info', 'c'),
      ...read(3, ['x'], 'a', true),
    ]);
    assert.equal(checkOrSet(present).valid, true);
    // A failed add certainly did not happen: it excuses nothing.
    const failed = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1]] }),
      ...write(2, 'add', 'x', 'fail', 'c'),
      ...read(3, ['x'], 'a', true),
    ]);
    assert.equal(checkOrSet(failed).valid, false);
  });

  it('flags a remove that claims to cover a dot no add created', () => {
    const h = indexOps([
      ...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }),
      ...write(1, 'remove', 'x', 'ok', 'b', { covered: [['a', 1], ['c', 9]] }),
      ...read(3, [], 'a', true),
    ]);
    const r = checkOrSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.badDots, 1);
    assert.match(r.badDots[0].problem, /no add/);
  });

  it('too little to judge is unknown: no adds, no final reads, or no meta.orset', () => {
    assert.equal(checkOrSet(indexOps(read(1, [], 'a', true))).valid, 'unknown');
    const noFinal = indexOps([...write(0, 'add', 'x', 'ok', 'a', { dot: ['a', 1], covered: [] }), ...write(1, 'remove', 'x', 'ok', 'a', { covered: [['a', 1]] })]);
    assert.match(String(checkOrSet(noFinal).reason), /no final reads/);
    const noMeta = indexOps([...write(0, 'add', 'x', 'ok', 'a'), ...write(1, 'remove', 'x', 'ok', 'a'), ...read(2, [], 'a', true)]);
    const r = checkOrSet(noMeta) as any;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.unchecked.length, 1);
  });

  it('is exposed as the or-set checker', async () => {
    const r = await orSetChecker().check(indexOps([]), {});
    assert.equal(r.valid, 'unknown');
  });

  /**
   * A simulated observed-remove set over several regions: each region holds per-element dots and a clock of dots
   * seen; adds make a fresh dot replacing what the region saw, removes drop what it saw, syncs merge per dot.
   * `removeWins` injects the classic mistake: an element one side dropped after seeing any dot of it is dropped
   * whole, erasing concurrent adds.
   */
  interface Region { clock: Map<string, number>; dots: Map<string, Set<string>> }
  type Step = { kind: 'add' | 'remove'; region: number; element: number } | { kind: 'sync'; from: number; to: number } | { kind: 'read'; region: number };
  const seen = (r: Region, d: string) => (r.clock.get(d.split('#')[0]) ?? 0) >= Number(d.split('#')[1]);

  function syncInto(a: Region, b: Region, removeWins: boolean): void {
    for (const e of new Set([...a.dots.keys(), ...b.dots.keys()])) {
      const da = a.dots.get(e);
      const db = b.dots.get(e);
      const dropped = removeWins && ((da === undefined && [...(db ?? [])].some((d) => seen(a, d))) || (db === undefined && [...(da ?? [])].some((d) => seen(b, d))));
      const out = new Set<string>();
      if (!dropped) {
        for (const d of da ?? []) if (db?.has(d) || !seen(b, d)) out.add(d);
        for (const d of db ?? []) if (da?.has(d) || !seen(a, d)) out.add(d);
      }
      if (out.size) a.dots.set(e, out);
      else a.dots.delete(e);
    }
    for (const [r, n] of b.clock) a.clock.set(r, Math.max(a.clock.get(r) ?? 0, n));
  }

  function simulate(steps: Step[], regions: number, removeWins: boolean): Op[] {
    const names = Array.from({ length: regions }, (_, i) => `r${i}`);
    const rs: Region[] = names.map(() => ({ clock: new Map(), dots: new Map() }));
    const ops: Op[] = [];
    let process = 0;
    const toDot = (d: string): Dot => [d.split('#')[0], Number(d.split('#')[1])];
    for (const s of steps) {
      if (s.kind === 'sync') {
        if (s.from === s.to) continue;
        syncInto(rs[s.to], rs[s.from], removeWins);
        continue;
      }
      const r = rs[s.region];
      const region = names[s.region];
      if (s.kind === 'read') {
        ops.push(...read(process++, [...r.dots.keys()].map(Number).sort(), region));
        continue;
      }
      const covered = [...(r.dots.get(String(s.element)) ?? [])].map(toDot);
      if (s.kind === 'add') {
        const n = (r.clock.get(region) ?? 0) + 1;
        r.clock.set(region, n);
        r.dots.set(String(s.element), new Set([`${region}#${n}`]));
        ops.push(...write(process++, 'add', s.element, 'ok', region, { dot: [region, n], covered }));
      } else {
        r.dots.delete(String(s.element));
        ops.push(...write(process++, 'remove', s.element, 'ok', region, { covered }));
      }
    }
    // Heal: everyone syncs with everyone, twice round, then each region reads.
    for (let round = 0; round < 2; round++) for (let i = 0; i < regions; i++) for (let j = 0; j < regions; j++) if (i !== j) syncInto(rs[i], rs[j], removeWins);
    rs.forEach((r, i) => ops.push(...read(process++, [...r.dots.keys()].map(Number).sort(), names[i], true)));
    return ops;
  }

  const stepArb = (regions: number) => fc.oneof(
    fc.record({ kind: fc.constantFrom('add' as const, 'remove' as const), region: fc.nat(regions - 1), element: fc.nat(3) }),
    fc.record({ kind: fc.constant('sync' as const), from: fc.nat(regions - 1), to: fc.nat(regions - 1) }),
    fc.record({ kind: fc.constant('read' as const), region: fc.nat(regions - 1) }),
  );

  it('property: a correct simulated OR-set is never flagged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(fc.constant(n), fc.array(stepArb(n), { minLength: 1, maxLength: 40 }))), ([n, steps]) => {
        const ops = simulate(steps, n, false);
        const r = checkOrSet(indexOps(ops), { readsSeeLocalWrites: true }) as any;
        assert.notEqual(r.valid, false, JSON.stringify(r).slice(0, 800));
      }),
      { numRuns: 300 },
    );
  });

  it('property: remove-wins is flagged whenever it changes the final state, and a dropped live element always is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(fc.constant(n), fc.array(stepArb(n), { minLength: 1, maxLength: 40 }))), ([n, steps]) => {
        const correct = simulate(steps, n, false);
        const buggy = simulate(steps, n, true);
        const finals = (ops: Op[]) => JSON.stringify(ops.filter((o) => o.type === 'ok' && o.meta?.final).map((o) => o.value));
        if (finals(correct) !== finals(buggy)) assert.equal(checkOrSet(indexOps(buggy)).valid, false, 'remove-wins changed the outcome unnoticed');
        // Lost add: drop one present element from the last region's final read.
        const last = correct[correct.length - 1];
        if (Array.isArray(last.value) && last.value.length > 0) {
          const lost = [...correct.slice(0, -1), { ...last, value: last.value.slice(1) }];
          assert.equal(checkOrSet(indexOps(lost)).valid, false, 'a lost add went unnoticed');
        }
      }),
      { numRuns: 300 },
    );
  });
});
