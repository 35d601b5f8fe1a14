import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { vcCompare, vcIncrement, vcMerge, type VClock } from '../../../layer/clock/vclock.ts';
import { ClockDriftError, HlcClock, compareHlc, parseHlc, MAX_LOGICAL, type Hlc } from '../../../layer/clock/hlc.ts';

/** A physical clock the test moves by hand, including backwards. */
function manualClock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v) };
}

type Step = { kind: 'now'; jump: number } | { kind: 'update'; jump: number; ahead: number; logical: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('now' as const), jump: fc.integer({ min: -100_000, max: 100_000 }) }),
  fc.record({
    kind: fc.constant('update' as const),
    jump: fc.integer({ min: -100_000, max: 100_000 }),
    ahead: fc.integer({ min: -200_000, max: 1_000 }),
    logical: fc.integer({ min: 0, max: 50 }),
  }),
);

describe('layer/clock/hlc', () => {
  it('compareHlc orders by wall, then logical', () => {
    assert.equal(compareHlc({ wall: 1, logical: 9 }, { wall: 2, logical: 0 }), -1);
    assert.equal(compareHlc({ wall: 2, logical: 1 }, { wall: 2, logical: 0 }), 1);
    assert.equal(compareHlc({ wall: 2, logical: 1 }, { wall: 2, logical: 1 }), 0);
  });

  it('now() follows the physical clock when it moves forward', () => {
    const pc = manualClock(1_000);
    const c = new HlcClock(pc.now);
    assert.deepEqual(c.now(), { wall: 1_000, logical: 0 });
    assert.deepEqual(c.now(), { wall: 1_000, logical: 1 });
    pc.set(1_005);
    assert.deepEqual(c.now(), { wall: 1_005, logical: 0 });
  });

  it('never goes backwards when the physical clock jumps back', () => {
    const pc = manualClock(10_000);
    const c = new HlcClock(pc.now);
    c.now();
    pc.set(5_000);
    assert.deepEqual(c.now(), { wall: 10_000, logical: 1 });
  });

  it('is strictly monotonic under arbitrary physical jumps and receives (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 2_000_000_000_000 }), fc.array(stepArb, { maxLength: 60 }), (start, steps) => {
        const pc = manualClock(start);
        const maxDrift = 5_000;
        const c = new HlcClock(pc.now, maxDrift);
        let prev: Hlc = c.now();
        for (const s of steps) {
          pc.set(Math.max(0, pc.now() + s.jump));
          let next: Hlc;
          if (s.kind === 'now') {
            next = c.now();
            assert.ok(next.wall >= pc.now(), 'a local event is never behind physical time');
          } else {
            const remote = { wall: Math.max(0, pc.now() + s.ahead), logical: s.logical };
            next = c.update(remote);
            assert.ok(compareHlc(next, remote) > 0, 'update() is after the remote timestamp');
          }
          assert.ok(compareHlc(next, prev) > 0, `clock went from ${JSON.stringify(prev)} to ${JSON.stringify(next)}`);
          prev = next;
        }
      }),
    );
  });

  it('respects happened-before across skewed nodes: a causally later event has a greater HLC (property)', () => {
    type Ev = { kind: 'local' | 'send' | 'recv'; node: number; pick: number; jump: number };
    const evArb: fc.Arbitrary<Ev> = fc.record(
      { kind: fc.constantFrom('local', 'send', 'recv'), node: fc.nat({ max: 2 }), pick: fc.nat(), jump: fc.integer({ min: -3_000, max: 3_000 }) },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 3, maxLength: 3 }), fc.array(evArb, { maxLength: 80 }), (skews, evs) => {
        const phys = skews.map((s) => 1_000_000 + s);
        const clocks = phys.map((_, i) => new HlcClock(() => phys[i], Number.MAX_SAFE_INTEGER));
        const causal: VClock[] = phys.map(() => ({}));
        const names = ['n0', 'n1', 'n2'];
        const inFlight: { to: number; hlc: Hlc; vc: VClock }[] = [];
        const seen: { hlc: Hlc; vc: VClock }[] = [];
        for (const e of evs) {
          phys[e.node] = Math.max(0, phys[e.node] + e.jump);
          let hlc: Hlc;
          if (e.kind === 'recv') {
            if (inFlight.length === 0) continue;
            const [m] = inFlight.splice(e.pick % inFlight.length, 1);
            hlc = clocks[m.to].update(m.hlc);
            causal[m.to] = vcIncrement(vcMerge(causal[m.to], m.vc), names[m.to]);
            seen.push({ hlc, vc: causal[m.to] });
            continue;
          }
          hlc = clocks[e.node].now();
          causal[e.node] = vcIncrement(causal[e.node], names[e.node]);
          seen.push({ hlc, vc: causal[e.node] });
          if (e.kind === 'send') inFlight.push({ to: (e.node + 1 + (e.pick % 2)) % 3, hlc, vc: causal[e.node] });
        }
        for (const a of seen) for (const b of seen) {
          if (vcCompare(a.vc, b.vc) === 'before') assert.ok(compareHlc(a.hlc, b.hlc) < 0, `${JSON.stringify(a)} happened before ${JSON.stringify(b)}`);
        }
      }),
    );
  });

  it('update() is greater than both the local clock and the remote (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), fc.nat({ max: 100 }), fc.nat({ max: 100 }),
        (pt, rw, rl, bumps) => {
          const c = new HlcClock(() => pt, Number.MAX_SAFE_INTEGER);
          let local = c.now();
          for (let i = 0; i < bumps % 5; i++) local = c.now();
          const remote = { wall: rw, logical: rl };
          const got = c.update(remote);
          assert.ok(compareHlc(got, local) > 0);
          assert.ok(compareHlc(got, remote) > 0);
          assert.ok(got.wall === Math.max(pt, rw, local.wall), 'wall is the max of the three, never invented');
        },
      ),
    );
  });

  it('rejects a remote clock too far ahead and keeps its own state', () => {
    const pc = manualClock(1_000_000);
    const c = new HlcClock(pc.now, 1_000);
    const before = c.now();
    assert.throws(() => c.update({ wall: 1_001_001, logical: 0 }), (e: unknown) => {
      assert.ok(e instanceof ClockDriftError);
      assert.equal(e.maxDriftMs, 1_000);
      assert.match(e.message, /1001 ms ahead/);
      return true;
    });
    assert.deepEqual(c.peek(), before);
    assert.deepEqual(c.update({ wall: 1_001_000, logical: 3 }), { wall: 1_001_000, logical: 4 }, 'exactly at the bound is accepted');
  });

  it('rejects malformed remote timestamps with a clear error', () => {
    const c = new HlcClock(() => 1);
    for (const bad of [null, {}, { wall: -1, logical: 0 }, { wall: 1.5, logical: 0 }, { wall: 1, logical: '0' }]) {
      assert.throws(() => c.update(bad as unknown as Hlc), /HlcClock\.update\(remote\): expected \{wall, logical\}/);
    }
    assert.throws(() => parseHlc({ wall: 1, logical: MAX_LOGICAL + 1 }, 'x.hlc'), /^TypeError: x\.hlc:/);
  });

  it('carries into the next millisecond instead of overflowing the logical counter', () => {
    const c = new HlcClock(() => 0, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(c.update({ wall: 7, logical: MAX_LOGICAL }), { wall: 8, logical: 0 });
  });

  it('refuses a broken physical clock', () => {
    assert.throws(() => new HlcClock(() => Number.NaN).now(), /physical clock returned NaN/);
  });
});
