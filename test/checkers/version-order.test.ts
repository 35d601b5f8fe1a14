import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkVersionOrder } from '../../checkers/version-order.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const version = (wall: number, logical: number, origin: string, seq: number) =>
  `${String(wall).padStart(16, '0')}.${String(logical).padStart(10, '0')}.${origin}!${String(seq).padStart(16, '0')}`;

function builder() {
  const ops: Op[] = [];
  let t = 0;
  let p = 0;
  let seq = 0;
  const invoke = (f: string, key: string, value: unknown) => {
    const process = p++;
    ops.push({ type: 'invoke', process, f, key, value, time: (t += 1) });
    return process;
  };
  const complete = (process: number, f: string, key: string, value: unknown, v?: string) =>
    ops.push({ type: 'ok', process, f, key, value, time: (t += 1), ...(v ? { meta: { version: v } } : {}) });
  return {
    ops,
    /** A write acknowledged with the version (wall, logical) of `origin`, before the next op starts. */
    write: (wall: number, logical = 0, origin = 'a', key = 'k') => complete(invoke('write', key, 1), 'write', key, 1, version(wall, logical, origin, ++seq)),
    /** Two writes of one region that overlap in time. */
    concurrent: (w1: number, w2: number, origin = 'a') => {
      const p1 = invoke('write', 'k', 1);
      const p2 = invoke('write', 'k', 2);
      complete(p1, 'write', 'k', 1, version(w1, 0, origin, ++seq));
      complete(p2, 'write', 'k', 2, version(w2, 0, origin, ++seq));
    },
    /** A write acknowledged with a version of `origin` whose dot is `seq`, chosen by the test. */
    writeDot: (wall: number, seq: number, origin = 'a', key = 'k') => complete(invoke('write', key, 1), 'write', key, 1, version(wall, 0, origin, seq)),
    read: (v: string) => complete(invoke('read', 'k', null), 'read', 'k', 1, v),
    nemesis: (f: string, value: unknown) => {
      ops.push({ type: 'invoke', process: 'nemesis', f, value, time: (t += 1) });
      ops.push({ type: 'info', process: 'nemesis', f, value: `${f} done`, time: (t += 1) });
    },
  };
}

describe('checkers/version-order', () => {
  it('versions rising within each region are valid, whatever the order across regions', () => {
    const b = builder();
    b.write(100, 0, 'a');
    b.write(50, 0, 'b');
    b.write(100, 1, 'a');
    b.write(60, 0, 'b');
    const r = checkVersionOrder(indexOps(b.ops));
    assert.equal(r.valid, true);
    assert.equal(r.judged, 2);
  });

  it('a write after a completed write of its region with a lower or equal version is a violation, naming both lines', () => {
    const b = builder();
    b.write(100, 3, 'a'); // lines 1-2
    b.write(100, 3, 'a'); // equal: no higher
    b.write(90, 0, 'a'); // the clock went back and the version with it
    const r = checkVersionOrder(indexOps(b.ops)) as any;
    assert.equal(r.valid, false);
    assert.equal(r.violations.length, 2);
    assert.deepEqual([r.violations[1].line, r.violations[1].earlier.line, r.violations[1].region], [6, 2, 'a']);
  });

  it('overlapping writes may carry versions in either order', () => {
    const b = builder();
    b.concurrent(200, 100);
    assert.equal(checkVersionOrder(indexOps(b.ops)).valid, 'unknown', 'nothing in real-time order: no verdict');
  });

  it('reads are not writes: a read reporting an old version is no violation', () => {
    const b = builder();
    b.write(100);
    b.write(101);
    b.read(version(100, 0, 'a', 1));
    assert.equal(checkVersionOrder(indexOps(b.ops)).valid, true);
  });

  it('a kill, a restart or a crash failpoint of the region starts a new incarnation; other regions are still judged', () => {
    const b = builder();
    b.write(100, 0, 'a');
    b.nemesis('kill', 'a');
    b.write(90, 0, 'b');
    b.nemesis('restart', 'a');
    b.write(50, 0, 'a');
    b.write(80, 0, 'b'); // b was not restarted: its version went back
    const r = checkVersionOrder(indexOps(b.ops)) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.violations.map((v: any) => v.region), ['b']);

    const c = builder();
    c.write(100, 0, 'a');
    c.nemesis('failpoint', { region: 'a', name: 'replicate-before-apply', action: 'crash' });
    c.write(10, 0, 'a'); // may be before or after the crash: not compared
    c.nemesis('clear-failpoint', { region: 'a' });
    c.write(20, 0, 'a');
    c.write(30, 0, 'a');
    assert.equal(checkVersionOrder(indexOps(c.ops)).valid, true);

    const d = builder();
    d.write(100, 0, 'a');
    d.nemesis('failpoint', { region: 'a', name: 'replicate-before-apply', action: 'pause' });
    d.write(10, 0, 'a'); // a pause restarts nothing
    assert.equal(checkVersionOrder(indexOps(d.ops)).valid, false);
  });

  it('a dot reported with two clocks names two writes: invalid even when the clocks rise, naming both lines', () => {
    const b = builder();
    b.writeDot(100, 7, 'a', 'x'); // lines 1-2
    b.writeDot(101, 8, 'a', 'y');
    b.writeDot(102, 7, 'a', 'z'); // lines 5-6: dot a!7 again, a later clock
    b.writeDot(103, 7, 'b', 'x'); // another region's dot 7 is another dot
    const r = checkVersionOrder(indexOps(b.ops)) as any;
    assert.equal(r.valid, false);
    assert.match(r.reason, /1 dots name two writes/);
    assert.deepEqual(r.reusedDots, [{ dot: 'a!7', first: { line: 2, key: 'x', version: version(100, 0, 'a', 7) }, second: { line: 6, key: 'z', version: version(102, 0, 'a', 7) } }]);
    assert.equal(r.violations.length, 0, 'the clocks themselves rose');
  });

  it('the same token reported again (reads of the writes) is one write each', () => {
    const b = builder();
    b.writeDot(100, 1);
    b.writeDot(101, 2);
    b.read(version(100, 0, 'a', 1));
    b.read(version(101, 0, 'a', 2));
    const r = checkVersionOrder(indexOps(b.ops)) as any;
    assert.equal(r.reusedDots, undefined);
    assert.match(r.reason, /2 dots each name one write/);
  });

  it('property: a dot is flagged iff operations report it with two different clocks', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 12 }), (ws) => {
      const b = builder();
      // Sequential writes with strictly rising clocks, so only dots can be wrong.
      ws.forEach(([, seq], i) => b.writeDot(100 + i, seq));
      const clocks = new Map<number, Set<number>>();
      ws.forEach(([, seq], i) => clocks.set(seq, (clocks.get(seq) ?? new Set()).add(100 + i)));
      const expected = [...clocks.values()].filter((c) => c.size > 1).length;
      const r = checkVersionOrder(indexOps(b.ops)) as any;
      assert.equal(r.reusedDots?.length ?? 0, expected);
      assert.equal(r.valid, expected > 0 ? false : ws.length > 1 ? true : 'unknown');
    }));
  });

  it('too little data is unknown: no versions (another target), or a single write', () => {
    const b = builder();
    b.ops.push({ type: 'invoke', process: 9, f: 'write', key: 'k', value: 1, time: 1 }, { type: 'ok', process: 9, f: 'write', key: 'k', value: 1, time: 2 });
    assert.equal(checkVersionOrder(indexOps(b.ops)).valid, 'unknown');
    const c = builder();
    c.write(1);
    assert.equal(checkVersionOrder(indexOps(c.ops)).valid, 'unknown');
  });

  it('property: sequential writes of one region are valid iff their versions strictly rise', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 12 }), (vs) => {
      const b = builder();
      for (const [w, l] of vs) b.write(w, l);
      const rising = vs.every((v, i) => i === 0 || v[0] > vs[i - 1][0] || (v[0] === vs[i - 1][0] && v[1] > vs[i - 1][1]));
      const max = (i: number) => vs.slice(0, i).reduce((m, v) => (v[0] > m[0] || (v[0] === m[0] && v[1] > m[1]) ? v : m));
      const aboveMax = vs.every((v, i) => i === 0 || v[0] > max(i)[0] || (v[0] === max(i)[0] && v[1] > max(i)[1]));
      assert.equal(rising, aboveMax);
      assert.equal(checkVersionOrder(indexOps(b.ops)).valid, rising);
    }), { seed: 8, numRuns: 200 });
  });
});

describe('checkers/version-order: which targets it judges', () => {
  it('is part of a workload on the layer (or an unknown target), and left out where no HLC versions exist', async () => {
    const { versionOrderFor } = await import('../../checkers/version-order.ts');
    assert.deepEqual(versionOrderFor('local').map((c) => c.name), ['version-order']);
    assert.deepEqual(versionOrderFor('external').map((c) => c.name), ['version-order']);
    assert.deepEqual(versionOrderFor(undefined).map((c) => c.name), ['version-order']);
    assert.deepEqual(versionOrderFor('etcd'), []);
    assert.deepEqual(versionOrderFor('redis-replication'), []);
  });
});
