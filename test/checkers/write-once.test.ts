import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkWriteOnce } from '../../checkers/write-once.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
let t = 0;
const tick = () => (t += 1e6);
/** A version token in the layer's shape (fixed-width, so string order is version order). */
const ver = (wall: number, region: string) => `${String(wall).padStart(16, '0')}.0000.${region}!${'1'.padStart(16, '0')}`;
type Meta = { version?: string; vclock?: Record<string, number>; conflict?: boolean };
const write = (process: number, v: number, type: T, region: string, meta: Meta = {}, key = 'w'): Op[] => [
  { type: 'invoke', process, f: 'write', key, value: v, time: tick(), region },
  { type, process, f: 'write', key, value: v, time: tick(), region, ...(type === 'ok' ? { meta } : {}) },
];
const read = (process: number, value: unknown, region: string, meta: Meta = {}, final = false, key = 'w'): Op[] => [
  { type: 'invoke', process, f: 'read', key, value: null, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
  { type: 'ok', process, f: 'read', key, value, time: tick(), region, meta: { ...meta, ...(final ? { final: true } : {}) } },
];

describe('checkers/write-once', () => {
  // a and b accept their first writes without seeing each other; the earlier (a's) is kept everywhere, flagged.
  const raced = (): Op[] => [
    ...write(0, 1, 'ok', 'a', { version: ver(10, 'a'), vclock: { a: 1 } }),
    ...write(1, 2, 'ok', 'b', { version: ver(20, 'b'), vclock: { b: 1 } }),
    ...read(1, 2, 'b', { version: ver(20, 'b') }),
    ...write(0, 3, 'fail', 'a'),
    ...read(0, 1, 'a', { version: ver(10, 'a') }),
    ...read(1, 1, 'b', { version: ver(10, 'a') }),
    ...write(1, 4, 'fail', 'b'),
  ];
  const finals = (value = 1, version = ver(10, 'a'), conflict = true): Op[] => ['a', 'b'].flatMap((r, i) => read(5 + i, value, r, { version, conflict }, true));

  it('valid: a raced key keeps its earliest acknowledged write everywhere, flagged, and later writes are refused', () => {
    const r = checkWriteOnce(indexOps([...raced(), ...finals()])) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.acknowledged, 2);
    assert.equal(r.counts.refused, 2);
  });

  it('a region that accepts a write after showing a value, or whose write covers another one, accepted over a held value', () => {
    const shown = checkWriteOnce(indexOps([...raced(), ...write(0, 5, 'ok', 'a', { version: ver(30, 'a'), vclock: { a: 2, b: 1 } }), ...finals()])) as any;
    assert.equal(shown.valid, false);
    // Once for having shown a value there, once for each of the two writes its clock covers.
    assert.equal(shown.counts.acceptedOverValue, 3);
    const unseen = checkWriteOnce(indexOps([
      ...write(0, 1, 'ok', 'a', { version: ver(10, 'a'), vclock: { a: 1 } }),
      ...write(1, 2, 'ok', 'b', { version: ver(20, 'b'), vclock: { a: 1, b: 1 } }),
      ...finals(),
    ])) as any;
    assert.deepEqual([unseen.valid, unseen.counts.acceptedOverValue, unseen.acceptedOverValue[0].saw], [false, 1, 2]);
  });

  it('a refused write that shows, a value nobody wrote, and a value that vanishes', () => {
    const r = checkWriteOnce(indexOps([...raced(), ...read(0, 3, 'a', {}), ...read(0, 99, 'a', {}), ...read(1, null, 'b', {}), ...finals()])) as any;
    assert.equal(r.valid, false);
    assert.deepEqual([r.counts.refusedShown, r.counts.unexpected, r.counts.vanished], [1, 1, 1]);
  });

  it('a region moving to a later version, a value shown with another version, a final later than the earliest, an unflagged conflict', () => {
    const later = checkWriteOnce(indexOps([...raced(), ...read(0, 2, 'a', { version: ver(20, 'b') }), ...finals()])) as any;
    assert.equal(later.counts.movedLater, 1);
    const mismatch = checkWriteOnce(indexOps([...raced(), ...read(0, 1, 'a', { version: ver(15, 'a') }), ...finals()])) as any;
    assert.equal(mismatch.counts.versionMismatch, 1);
    const latest = checkWriteOnce(indexOps([...raced().slice(0, 4), ...finals(2, ver(20, 'b'))])) as any;
    assert.equal(latest.counts.notEarliest, 2);
    const unflagged = checkWriteOnce(indexOps([...raced(), ...finals(1, ver(10, 'a'), false)])) as any;
    assert.equal(unflagged.counts.unflagged, 2);
    for (const r of [later, mismatch, latest, unflagged]) assert.equal(r.valid, false);
  });

  it('a write of unknown outcome may have won: its value may show, with a version before every acknowledged one', () => {
    const r = checkWriteOnce(indexOps([...write(2, 7, 'info', 'c'), ...write(0, 1, 'ok', 'a', { version: ver(10, 'a'), vclock: { a: 1 } }), ...read(0, 7, 'a', { version: ver(5, 'c') }), ...finals(7, ver(5, 'c'), false)])) as any;
    assert.equal(r.valid, true, r.reason);
    // It excuses no final later than an acknowledged write.
    const later = checkWriteOnce(indexOps([...write(2, 7, 'info', 'c'), ...write(0, 1, 'ok', 'a', { version: ver(10, 'a'), vclock: { a: 1 } }), ...finals(7, ver(15, 'c'), false)])) as any;
    assert.equal(later.counts.notEarliest, 2);
  });

  it('nothing acknowledged is nothing to judge: unknown', () => {
    const r = checkWriteOnce(indexOps([...write(0, 1, 'fail', 'a'), ...read(0, null, 'a')]));
    assert.equal(r.valid, 'unknown');
  });

  it('property: any history of regions that keep write-once semantics is valid', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('write', 'read', 'sync'), fc.nat(2), fc.nat(2), fc.nat(1)), { maxLength: 40 }), (steps) => {
      const regions = ['a', 'b', 'c'];
      type State = { value: number; version: string; clock: Record<string, number>; seen: Record<string, number> } | undefined;
      const states = new Map<string, Record<string, State>>();
      const join = (x: Record<string, number>, y: Record<string, number>) => Object.fromEntries([...new Set([...Object.keys(x), ...Object.keys(y)])].map((r) => [r, Math.max(x[r] ?? 0, y[r] ?? 0)]));
      const merge = (x: State, y: State): State => (!x ? y : !y ? x : { ...(x.version <= y.version ? x : y), seen: join(x.seen, y.seen) });
      const conflicted = (s: NonNullable<State>) => Object.entries(s.seen).some(([r, n]) => (s.clock[r] ?? 0) < n);
      const ops: Op[] = [];
      let next = 1;
      steps.forEach(([f, ri, oi, ki], step) => {
        const [region, other, key] = [regions[ri], regions[oi], `k${ki}`];
        const at = states.get(key) ?? {};
        states.set(key, at);
        const s = at[region];
        if (f === 'write') {
          const value = next++;
          if (s) ops.push(...write(ri, value, 'fail', region, {}, key));
          else {
            const clock = { [region]: 1 };
            at[region] = { value, version: ver(step, region), clock, seen: clock };
            ops.push(...write(ri, value, 'ok', region, { version: ver(step, region), vclock: clock }, key));
          }
        } else if (f === 'read') ops.push(...read(ri, s?.value ?? null, region, s ? { version: s.version } : {}, false, key));
        else at[region] = merge(s, at[other]);
      });
      for (const [key, at] of states) {
        const all = regions.map((r) => at[r]).reduce(merge);
        regions.forEach((r, i) => ops.push(...read(i, all?.value ?? null, r, all ? { version: all.version, conflict: conflicted(all) } : {}, true, key)));
      }
      const r = checkWriteOnce(indexOps(ops));
      assert.notEqual(r.valid, false, JSON.stringify(r));
    }), { numRuns: 300 });
  });
});
