import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { lwwRegisterWorkload, lwwWorkload, readsPerTurn } from '../../workloads/lww-register.ts';
import type { GenContext, Generator } from '../../harness/core/generator.ts';
import type { OpTemplate } from '../../harness/core/generator.ts';

const REGIONS = ['a', 'b', 'c'];

/** Draws n operations with the given processes free each time (all of them unless `free` says otherwise). */
function draw(g: Generator, n: number, seed: number, free: (i: number) => number[] = () => [0, 1, 2, 3, 4, 5]): OpTemplate[] {
  let s = seed;
  const out: OpTemplate[] = [];
  for (let i = 0; i < n; i++) {
    const ctx: GenContext = {
      time: i, freeProcesses: free(i), busyProcesses: [], regionOf: (p) => REGIONS[p % 3],
      random: () => ((s = (s * 16807) % 2147483647) / 2147483647),
    };
    const r = g.op(ctx);
    if (r === undefined || 'pending' in r) break;
    out.push(r.op);
    g = r.next;
  }
  return out;
}

describe('workloads/lww-register', () => {
  it('reads per turn give the asked share of reads, none for a write-only run', () => {
    assert.equal(readsPerTurn(0), 0);
    assert.equal(readsPerTurn(0.5), 2);
    assert.equal(readsPerTurn(0.67), 4);
    assert.ok(readsPerTurn(1) >= 30, 'an all-read ratio still writes each key once per turn');
  });

  it('each key\'s turn is a pair of writes from two regions (with deletes, every third a value and a delete), then reads of it or of the two keys before it only', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(0.3, 0.5, 0.67), fc.boolean(), (seed, keyCount, readRatio, deletes) => {
      const w = (deletes ? lwwWorkload : lwwRegisterWorkload)({ regions: REGIONS, keyPrefix: 'l/', keyCount, readRatio });
      const reads = readsPerTurn(readRatio);
      const ops = draw(w.generator, 40 * (2 + reads), seed);
      assert.equal(ops.length, 40 * (2 + reads));
      const keys = Array.from({ length: keyCount }, (_, i) => `l/k${i}`);
      for (let turn = 0; turn < 40; turn++) {
        const t = ops.slice(turn * (2 + reads), (turn + 1) * (2 + reads));
        const own = keys[turn % keyCount];
        assert.deepEqual(t.slice(0, 2).map((o) => [o.f, o.key]), [['write', own], [deletes && turn % 3 === 2 ? 'delete' : 'write', own]]);
        assert.notEqual(REGIONS[(t[0].process as number) % 3], REGIONS[(t[1].process as number) % 3], 'the pair comes from two regions');
        const readable = new Set([own, keys[(turn + keyCount - 1) % keyCount], keys[(turn + 2 * keyCount - 2) % keyCount]].slice(0, Math.min(turn, 2) + 1));
        for (const o of t.slice(2)) {
          assert.equal(o.f, 'read');
          assert.ok(readable.has(o.key!), `turn ${turn} read ${o.key}, not one of ${[...readable]}`);
        }
      }
      const written = ops.filter((o) => o.f === 'write').map((o) => `${o.key}=${o.value}`);
      assert.equal(new Set(written).size, written.length, 'every written value is unique per key');
    }));
  });

  it('with only one region\'s clients free, the pair still goes out, from that region', () => {
    const w = lwwWorkload({ regions: REGIONS, keyPrefix: 'l/', keyCount: 2, readRatio: 0.5 });
    const ops = draw(w.generator, 12, 7, () => [1, 4]);
    assert.deepEqual(ops.map((o) => o.f), ['write', 'write', 'read', 'read', 'write', 'write', 'read', 'read', 'write', 'delete', 'read', 'read']);
    assert.ok(ops.every((o) => REGIONS[(o.process as number) % 3] === 'b'));
  });

  it('with no client free it waits', () => {
    const w = lwwRegisterWorkload({ regions: REGIONS, keyPrefix: 'l/', keyCount: 2 });
    assert.deepEqual(draw(w.generator, 3, 1, () => []), []);
  });
});
