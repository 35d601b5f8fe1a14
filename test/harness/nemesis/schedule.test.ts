import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { advance, FAULT_KINDS, initialState, recoveryOps, Schedule, type FaultKind, type NemesisState } from '../../../harness/nemesis/schedule.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];
const faultsArb = fc.subarray([...FAULT_KINDS], { minLength: 1 });

const live = (s: NemesisState, regions: readonly string[]) => regions.filter((r) => !s.dead.includes(r) && !s.paused.includes(r));

describe('nemesis/schedule', () => {
  it('the same seed gives the same schedule; another seed gives another', () => {
    const opts = { faults: [...FAULT_KINDS], regions: REGIONS, intervalMs: 1000 };
    const a = new Schedule({ ...opts, seed: 42 }).take(200);
    const b = new Schedule({ ...opts, seed: 42 }).take(200);
    const c = new Schedule({ ...opts, seed: 43 }).take(200);
    assert.equal(a.length, 200);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('reading entries out of order does not change them', () => {
    const opts = { faults: [...FAULT_KINDS], regions: REGIONS, intervalMs: 500, seed: 7 };
    const s1 = new Schedule(opts);
    const late = s1.get(50);
    const s2 = new Schedule(opts);
    assert.deepEqual(s2.take(51)[50], late);
    assert.deepEqual(s1.get(3), s2.get(3));
  });

  it('never kills or pauses the last live region, never stacks partitions, skews only live clocks, and uses only the faults asked for', () => {
    fc.assert(
      fc.property(fc.integer(), faultsArb, fc.integer({ min: 1, max: 6 }), (seed, faults, n) => {
        const regions = REGIONS.concat(['us-west', 'eu-central', 'ap-northeast']).slice(0, n);
        const sched = new Schedule({ faults, regions, seed, intervalMs: 100 });
        const allowed = new Set<string>(faults.flatMap((k: FaultKind) => ({
          partition: ['partition', 'heal'], kill: ['kill', 'restart'], pause: ['pause', 'resume'],
          latency: ['latency', 'clear-latency'], bandwidth: ['bandwidth', 'clear-bandwidth'], 'clock-skew': ['clock-skew', 'clear-clock-skew'],
          'clock-tie': ['clock-tie', 'clear-clock-tie'], failover: ['failover', 'heal-failover'], failpoint: ['failpoint', 'clear-failpoint'],
        })[k]));
        let s = initialState();
        let prevAt = 0;
        for (let i = 0; i < 150; i++) {
          const op = sched.get(i);
          if (!op) break;
          assert.ok(allowed.has(op.f), `${op.f} was not asked for`);
          assert.ok(op.at - prevAt >= 50 - 1 && op.at - prevAt <= 150 + 1, `gap ${op.at - prevAt}`);
          prevAt = op.at;
          if (op.f === 'partition') assert.equal(s.partition, null, 'a partition only after the previous is healed');
          if (op.f === 'partition') assert.equal(s.failover, false, 'no partition during a failover');
          if (op.f === 'failover') assert.ok(!s.failover && !s.partition, 'a failover only on a healed network');
          if (op.f === 'kill' || op.f === 'pause') assert.ok(live(s, regions).includes(op.value as string));
          if (op.f === 'restart') assert.ok(s.dead.includes(op.value as string));
          if (op.f === 'resume') assert.ok(s.paused.includes(op.value as string));
          if (op.f === 'clock-skew') for (const r of Object.keys((op.value as { offsets: object }).offsets)) assert.ok(live(s, regions).includes(r), `skewed ${r}, which is not live`);
          if (op.f === 'failpoint') assert.ok(live(s, regions).includes((op.value as { region: string }).region) && s.failpoints.length === 0, 'one failpoint at a time, on a live region');
          if (op.f === 'clear-failpoint') assert.ok(s.failpoints.includes((op.value as { region: string }).region) && !s.paused.includes((op.value as { region: string }).region));
          if (op.f === 'clear-clock-skew') assert.ok(!s.skewed.some((r) => s.paused.includes(r)), 'cleared a paused region\'s clock');
          if (op.f === 'clock-tie') {
            const tied = (op.value as { regions: string[] }).regions;
            const smooth = live(s, regions).filter((r) => !s.skewed.includes(r));
            assert.deepEqual(tied, [...smooth].sort(), 'a tie steps every live, unskewed clock alike');
            assert.ok(tied.length >= 2, 'a tie needs two clocks');
          }
          if (op.f === 'clear-clock-tie') assert.ok(!s.tied.some((r) => s.paused.includes(r)), 'unfroze a paused region\'s clock');
          s = advance(s, op);
          assert.ok(live(s, regions).length >= 1, `no live region left after ${op.f} ${JSON.stringify(op.value)}`);
          assert.deepEqual(s, sched.stateAfter(i + 1));
        }
        for (const r of recoveryOps(s)) s = advance(s, r);
        // What was started is bookkeeping for the deal, not a fault in force.
        assert.deepEqual({ ...s, started: {} }, initialState(), 'the recovery ops end every fault');
      }),
      { numRuns: 200 },
    );
  });

  it('while a partition leaves regions hearing from no peer, skews set exactly those regions back about half the time', () => {
    let aimed = 0;
    let skewsInDeafPartitions = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sched = new Schedule({ faults: ['partition', 'clock-skew'], regions: REGIONS, seed, intervalMs: 100, partitionShapes: ['isolate'] });
      for (let i = 0; i < 60; i++) {
        const s = sched.stateAfter(i);
        const op = sched.get(i)!;
        if (op.f !== 'clock-skew' || !s.partition) continue;
        skewsInDeafPartitions++;
        const lone = s.partition.groups.find((g) => g.length === 1)![0];
        const offsets = (op.value as { offsets: Record<string, number> }).offsets;
        // Aimed: the isolated clock alone, set back by at least a fifth of the maximum (5 s by default).
        if (Object.keys(offsets).length === 1 && offsets[lone] <= -1000) aimed++;
      }
    }
    assert.ok(skewsInDeafPartitions >= 40, `only ${skewsInDeafPartitions} skews during partitions`);
    assert.ok(aimed / skewsInDeafPartitions > 0.4 && aimed / skewsInDeafPartitions < 0.9, `${aimed} of ${skewsInDeafPartitions} skews aimed at the isolated region`);
  });

  it('every clock skew sets some region back, by at least a fifth of the maximum', () => {
    let skews = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const op of new Schedule({ faults: ['partition', 'clock-skew', 'kill'], regions: REGIONS, seed, intervalMs: 100, maxDown: 1 }).take(60)) {
        if (op.f !== 'clock-skew') continue;
        skews++;
        const offsets = Object.values((op.value as { offsets: Record<string, number> }).offsets);
        assert.ok(offsets.some((ms) => ms <= -1000), `seed ${seed}: ${offsets}`);
      }
    }
    assert.ok(skews >= 100, `${skews} skews`);
  });

  it('outside partitions the first skew, and every other one after it, sets every live clock back, each by its own amount', () => {
    let alternations = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sched = new Schedule({ faults: ['clock-skew', 'kill'], regions: REGIONS, seed, intervalMs: 100, maxDown: 1 });
      let n = 0;
      for (let i = 0; i < 60; i++) {
        const op = sched.get(i)!;
        if (op.f !== 'clock-skew') continue;
        const offsets = (op.value as { offsets: Record<string, number> }).offsets;
        const values = Object.values(offsets);
        const allBack = values.every((ms) => ms <= -1000);
        if (n % 2 === 0) {
          assert.ok(allBack, `seed ${seed}, skew ${n}: ${JSON.stringify(offsets)}`);
          assert.equal(values.length, REGIONS.length - sched.stateAfter(i).dead.length, `seed ${seed}, skew ${n}: every live region`);
        } else if (!allBack) alternations++;
        n++;
      }
    }
    assert.ok(alternations >= 20, `the skews between set clocks apart in both directions too (${alternations})`);
  });

  it('keeps at most maxDown regions killed or paused at once, and still takes that many down', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 2 }), (seed, n, maxDown) => {
        const regions = REGIONS.concat(['us-west', 'eu-central', 'ap-northeast']).slice(0, n);
        const sched = new Schedule({ faults: ['kill', 'pause'], regions, seed, intervalMs: 100, maxDown });
        let mostDown = 0;
        for (let i = 0; i < 300; i++) {
          const down = regions.length - live(sched.stateAfter(i + 1), regions).length;
          assert.ok(down <= maxDown, `${down} regions down after op ${i}, max ${maxDown}`);
          mostDown = Math.max(mostDown, down);
        }
        assert.equal(mostDown, maxDown, 'the limit is reached, not just respected');
      }),
      { numRuns: 100 },
    );
  });

  it('ends every fault within maxHoldSteps ops of its start, or as soon as the faults due before it are ended', () => {
    fc.assert(
      fc.property(fc.integer(), fc.subarray(FAULT_KINDS.filter((k) => k !== 'pause'), { minLength: 1 }), fc.integer({ min: 1, max: 5 }), (seed, faults, maxHoldSteps) => {
        const sched = new Schedule({ faults, regions: REGIONS, seed, intervalMs: 100, maxHoldSteps });
        let mostInForce = 0;
        for (let i = 1; i <= 200; i++) {
          const s = sched.stateAfter(i);
          const ages = Object.values(s.ages);
          mostInForce = Math.max(mostInForce, ages.length);
          // Each op ends at most one fault, and nothing new starts while one is due, so a due fault waits at most
          // for the others in force.
          for (const [fault, age] of Object.entries(s.ages)) assert.ok(age <= maxHoldSteps - 1 + mostInForce, `${fault} in force for ${age} ops (hold ${maxHoldSteps}, at most ${mostInForce} faults at once)`);
        }
      }),
      { numRuns: 200 },
    );
    // Left to compete with new faults by weight alone, a region killed in a minute's run stayed down for 10–30 s.
    const ops = new Schedule({ faults: ['partition', 'kill', 'latency', 'clock-skew', 'clock-tie', 'failpoint'], regions: REGIONS, seed: 5, intervalMs: 2000 }).take(30);
    const down = new Map<string, number>();
    for (const op of ops) {
      if (op.f === 'kill') down.set(op.value as string, op.at);
      if (op.f === 'restart') assert.ok(op.at - down.get(op.value as string)! <= 3 * 3000, `${op.value} down for ${op.at - down.get(op.value as string)!} ms`);
    }
    assert.ok(ops.filter((o) => o.f === 'restart').length >= 2, 'regions come back within the minute');
  });

  it('deals fault kinds like a deck: each kind once (failpoints once per path, partitions once per class of shape) before any kind again', () => {
    // Kinds that never keep each other from starting follow the deck exactly: at any moment every kind has had the
    // same number of full rounds, give or take the one being dealt.
    const free = ['partition', 'latency', 'bandwidth', 'failpoint', 'clock-skew'] as const;
    fc.assert(
      fc.property(fc.integer(), fc.subarray([...free], { minLength: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 3, max: 6 }), (seed, faults, maxHoldSteps, n) => {
        const regions = REGIONS.concat(['us-west', 'eu-central', 'ap-northeast']).slice(0, n);
        const sched = new Schedule({ faults, regions, seed, intervalMs: 100, maxHoldSteps });
        for (let i = 1; i <= 150; i++) {
          const { started } = sched.stateAfter(i);
          // Two failpoint paths; two classes of partition shape (a region cut off from every peer, or not).
          const rounds = faults.map((k) => Math.floor((started[k] ?? 0) / (k === 'failpoint' || k === 'partition' ? 2 : 1)));
          assert.ok(Math.max(...rounds) - Math.min(...rounds) <= 1, `after ${i} ops: ${JSON.stringify(started)}`);
        }
      }),
      { numRuns: 200 },
    );
    // The default run's faults for a minute at one op per 2 s: picked by weight alone, more than a quarter of the
    // seeds left some kind out entirely.
    const chaos: FaultKind[] = ['partition', 'kill', 'latency', 'clock-skew', 'clock-tie', 'failpoint'];
    for (let seed = 1; seed <= 200; seed++) {
      const sched = new Schedule({ faults: chaos, regions: REGIONS, seed, intervalMs: 2000, maxDown: 1 });
      const kinds = new Set<string>();
      for (let i = 0; sched.get(i)!.at <= 60_000; i++) kinds.add(sched.get(i)!.f);
      assert.deepEqual(chaos.filter((k) => !kinds.has(k)), [], `seed ${seed}`);
    }
  });

  it('deals partition shapes like a deck too: every shape once, in a seeded order, before any again', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const ops = new Schedule({ faults: ['partition', 'kill'], regions: REGIONS, seed, intervalMs: 10 }).take(400);
      const shapes = ops.filter((o) => o.f === 'partition').map((o) => (o.value as { shape: string }).shape);
      const kinds = new Set(shapes).size;
      assert.ok(kinds >= 5, `seed ${seed}: ${kinds} shapes`);
      for (let r = 0; r + kinds <= shapes.length; r += kinds) assert.equal(new Set(shapes.slice(r, r + kinds)).size, kinds, `seed ${seed}, round ${r / kinds}: ${shapes.slice(r, r + kinds)}`);
    }
    const first = (seed: number) => new Schedule({ faults: ['partition'], regions: REGIONS, seed, intervalMs: 10 }).take(2)[0].value;
    assert.notDeepEqual([1, 2, 3, 4, 5].map((seed) => (first(seed) as { shape: string }).shape), Array(5).fill((first(1) as { shape: string }).shape), 'the order depends on the seed');
  });

  it('alternates shapes that cut a region off from every peer with shapes that do not, the former first', () => {
    const cutsOff = new Set(['isolate', 'halves']);
    for (let seed = 1; seed <= 50; seed++) {
      const ops = new Schedule({ faults: ['partition'], regions: REGIONS, seed, intervalMs: 10 }).take(48);
      const shapes = ops.filter((o) => o.f === 'partition').map((o) => (o.value as { shape: string }).shape);
      for (let r = 0; r + 6 <= shapes.length; r += 6) {
        assert.deepEqual(shapes.slice(r, r + 6).map((sh) => cutsOff.has(sh)), [true, false, true, false, false, false], `seed ${seed}: ${shapes.slice(r, r + 6)}`);
      }
    }
    // With five regions halves leave every region a peer, so only isolate cuts one off.
    const five = ['a', 'b', 'c', 'd', 'e'];
    const shapes = new Schedule({ faults: ['partition'], regions: five, seed: 7, intervalMs: 10 }).take(24).filter((o) => o.f === 'partition').map((o) => (o.value as { shape: string }).shape);
    assert.equal(shapes[0], 'isolate');
    assert.equal(shapes[6], 'isolate');
    // A default minute: some region hears from no peer, and some partition leaves every region a peer, in every seed
    // (shuffled alone, two in five had no region cut off); a ring or a bridge in most.
    const chaos: FaultKind[] = ['partition', 'kill', 'latency', 'clock-skew', 'clock-tie', 'failpoint'];
    let quorumShapes = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const sched = new Schedule({ faults: chaos, regions: REGIONS, seed, intervalMs: 2000, maxDown: 1 });
      const shapes = sched.take(80).filter((o) => o.f === 'partition' && o.at < 60_000).map((o) => (o.value as { shape: string }).shape);
      assert.ok(shapes.some((sh) => cutsOff.has(sh)) && shapes.some((sh) => !cutsOff.has(sh)), `seed ${seed}: ${shapes}`);
      if (shapes.includes('bridge') || shapes.includes('majorities-ring')) quorumShapes++;
    }
    assert.ok(quorumShapes >= 150, `${quorumShapes} of 200 minutes had a ring or a bridge`);
  });

  it('refuses a maxDown below one', () => {
    assert.throws(() => new Schedule({ faults: ['kill'], regions: REGIONS, seed: 1, intervalMs: 10, maxDown: 0 }), /max down must be an integer ≥ 1, got 0/);
  });

  it('with one region, kill and pause have nothing to do', () => {
    assert.equal(new Schedule({ faults: ['kill', 'pause'], regions: ['solo'], seed: 1, intervalMs: 10 }).get(0), undefined);
  });

  it('partition values name a shape, its groups and a mode', () => {
    const ops = new Schedule({ faults: ['partition'], regions: REGIONS, seed: 3, intervalMs: 10 }).take(60);
    const parts = ops.filter((o) => o.f === 'partition');
    assert.ok(parts.length >= 20);
    for (const p of parts) {
      const v = p.value as { shape: string; groups: string[][]; mode: string };
      assert.ok(['clean', 'black-hole'].includes(v.mode));
      assert.ok(v.groups.flat().every((r) => REGIONS.includes(r)));
    }
    assert.ok(new Set(parts.map((p) => (p.value as { shape: string }).shape)).size >= 4, 'shapes vary');
    assert.ok(ops.every((o, i) => (o.f === 'heal') === (i % 2 === 1)), 'partition and heal alternate');
  });

  it('weights shift the mix, and a zero weight turns a kind off', () => {
    const ops = new Schedule({ faults: ['latency', 'kill'], regions: REGIONS, seed: 9, intervalMs: 10, weights: { latency: 0 } }).take(100);
    assert.ok(ops.every((o) => o.f === 'kill' || o.f === 'restart'));
  });

  it('arms failpoints more often when they span two paths, each path about as often as the other', () => {
    const mix = (failpointNames?: string[]) => {
      const ops = new Schedule({ faults: ['kill', 'failpoint'], regions: REGIONS, seed: 5, intervalMs: 10, ...(failpointNames ? { failpointNames } : {}) }).take(4000);
      const armed = ops.filter((o) => o.f === 'failpoint').map((o) => (o.value as { name: string }).name);
      return { armed, perKill: armed.length / ops.filter((o) => o.f === 'kill').length };
    };
    const both = mix();
    const paxos = both.armed.filter((n) => n.startsWith('paxos-')).length;
    assert.ok(Math.abs(paxos - both.armed.length / 2) < both.armed.length * 0.08, `${paxos} of ${both.armed.length} in the consensus path`);
    // paxos-accept-sent is a cut per k below a majority: k = 0 as likely as any other point, and the cuts that leave a
    // value with a minority (k ≥ 1) half the path's arms together.
    const consensusArms = (regions: string[]) => new Schedule({ faults: ['failpoint'], regions, seed: 6, intervalMs: 10 }).take(6000)
      .filter((o) => o.f === 'failpoint' && (o.value as { name: string }).name.startsWith('paxos-'))
      .map((o) => o.value as { name: string; k?: number });
    for (const regions of [REGIONS, [...REGIONS, 'us-west', 'eu-central']]) {
      const majority = Math.floor(regions.length / 2) + 1;
      const ks = consensusArms(regions);
      const minority = ks.filter((v) => v.name === 'paxos-accept-sent' && v.k! >= 1).length;
      const heldBack = ks.filter((v) => v.name === 'paxos-accept-sent' && v.k === 0).length;
      const replies = ks.filter((v) => v.name === 'paxos-acceptor-reply').length;
      assert.ok(ks.every((v) => (v.name === 'paxos-accept-sent') === (Number.isInteger(v.k) && v.k! >= 0 && v.k! < majority)), 'k is given for paxos-accept-sent only, below a majority');
      assert.ok(Math.abs(minority / ks.length - 1 / 2) < 0.05, `${regions.length} regions: a value left with a minority in ${minority} of ${ks.length} consensus arms`);
      assert.ok(Math.abs(heldBack - replies) < 0.3 * replies, `${regions.length} regions: k = 0 armed ${heldBack} times, acceptor-reply ${replies}`);
    }
    const one = mix(['paxos-accept-sent', 'paxos-acceptor-reply']);
    assert.ok(both.perKill > 1.3 * one.perKill, `failpoints per kill: ${both.perKill.toFixed(2)} over two paths, ${one.perKill.toFixed(2)} over one`);
  });

  it('arms the paths in turn, and every other consensus arm, the run\'s first failpoint included, leaves values with a minority', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const armed = new Schedule({ faults: ['partition', 'kill', 'failpoint'], regions: REGIONS, seed, intervalMs: 10 }).take(200)
        .filter((o) => o.f === 'failpoint').map((o) => o.value as { name: string; k?: number; action: string; times: number });
      assert.ok(armed.length >= 8, `seed ${seed}: ${armed.length} arms`);
      armed.forEach((v, i) => {
        assert.equal(v.name.startsWith('paxos-'), i % 2 === 0, `seed ${seed}, arm ${i}: ${v.name}`);
        if (i % 2 === 0) assert.equal(v.name === 'paxos-accept-sent' && v.k! >= 1, i % 4 === 0, `seed ${seed}, arm ${i}: ${JSON.stringify(v)}`);
        if (i % 4 === 0) assert.ok(v.action !== 'crash' && v.times >= 5, `seed ${seed}, arm ${i}: a minority cut leaves the node up and cuts several accepts (${JSON.stringify(v)})`);
      });
    }
  });

  it('rejects bad options with a message naming them', () => {
    assert.throws(() => new Schedule({ faults: ['flood' as FaultKind], regions: REGIONS, seed: 1, intervalMs: 10 }), /unknown fault "flood"; faults are partition, kill/);
    assert.throws(() => new Schedule({ faults: ['kill'], regions: REGIONS, seed: 1, intervalMs: 0 }), /interval must be > 0/);
    assert.throws(() => new Schedule({ faults: ['latency'], regions: REGIONS, seed: 1, intervalMs: 5, latencyPresets: ['moon'] }), /unknown latency preset "moon"/);
    assert.throws(() => new Schedule({ faults: ['kill'], regions: REGIONS, seed: 1, intervalMs: 5, maxHoldSteps: 0 }), /max hold steps must be an integer ≥ 1, got 0/);
  });
});
