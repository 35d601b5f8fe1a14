/**
 * Test support: the property suite every strategy must pass. Merge laws are checked on states the
 * system can actually reach (snapshots of simulated runs), because arbitrary JSON is not a valid state.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { vcCompare } from '../../../layer/clock/vclock.ts';
import { merge, read, type LocalOp, type Strategy, type Stored } from '../../../layer/resolver/index.ts';
import { expected } from './oracles.ts';
import { actionsArb, canon, finalOrderArb, simulate, skewsArb, wire } from './sim.ts';

const m = (a: Stored, b: Stored) => merge(a, b).stored;

export function crdtLaws(strategy: Strategy, opArb: fc.Arbitrary<LocalOp>, numRuns = 150): void {
  const runArb = fc.record({ actions: actionsArb(opArb), skews: skewsArb, finalOrder: finalOrderArb }, { noNullPrototype: true });

  it('merge is commutative, associative and idempotent on reachable states (property)', () => {
    fc.assert(
      fc.property(runArb, fc.nat(), fc.nat(), fc.nat(), ({ actions, skews, finalOrder }, i, j, k) => {
        const { snapshots, finals } = simulate(strategy, actions, skews, finalOrder);
        const pool = [...snapshots, ...finals];
        fc.pre(pool.length > 0);
        const [a, b, c] = [i, j, k].map((n) => wire(pool[n % pool.length]));
        assert.equal(canon(m(a, b)), canon(m(b, a)), 'commutative');
        assert.equal(canon(m(m(a, b), c)), canon(m(a, m(b, c))), 'associative');
        assert.equal(canon(m(a, a)), canon(a), 'idempotent');
        assert.equal(canon(m(a, m(a, b))), canon(m(a, b)), 'absorbs what it already has');
        assert.equal(canon(wire(m(a, b))), canon(m(a, b)), 'JSON round-trip changes nothing');
        const concurrent = vcCompare(a.vclock, b.vclock) === 'concurrent';
        assert.equal(merge(a, b).conflict, concurrent, 'merge flags concurrent clocks');
        assert.equal(merge(b, a).conflict, concurrent);
      }),
      { numRuns },
    );
  });

  it('3 regions, random writes, random delivery order with duplicates: all converge to the expected state (property)', () => {
    fc.assert(
      fc.property(runArb, ({ actions, skews, finalOrder }) => {
        const { finals, snapshots, writes } = simulate(strategy, actions, skews, finalOrder);
        fc.pre(writes.length > 0);
        const folded = snapshots.reduce<Stored | undefined>((acc, s) => merge(acc, s).stored, undefined)!;
        for (const f of finals) {
          assert.equal(canon(f), canon(folded), 'every region holds the join of all writes, byte for byte');
          assert.deepEqual(read(f), read(folded));
        }
        const exp = expected(strategy, writes);
        const got = read(folded);
        assert.deepEqual(got.value, exp.value, 'value');
        assert.deepEqual(got.siblings, exp.siblings, 'siblings');
        assert.equal(folded.conflict === true, exp.conflict, 'conflict flag');
      }),
      { numRuns },
    );
  });
}
