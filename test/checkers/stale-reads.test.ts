import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkStaleReads } from '../../checkers/stale-reads.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const MS = 1e6;
function builder() {
  const ops: Op[] = [];
  let t = 0;
  let p = 0;
  const pair = (f: string, value: unknown, result: unknown, type: 'ok' | 'info' | 'fail', region: string) => {
    const process = p++;
    ops.push({ type: 'invoke', process, f, key: 'k', value, time: (t += MS), region });
    ops.push({ type, process, f, key: 'k', value: result, time: (t += MS), region });
  };
  return {
    ops,
    write: (v: number, region = 'a', type: 'ok' | 'info' | 'fail' = 'ok') => pair('write', v, v, type, region),
    read: (v: number | null, region = 'a') => pair('read', null, v, 'ok', region),
    wait: (ms: number) => { t += ms * MS; },
  };
}

describe('checkers/stale-reads', () => {
  it('a fresh read is not stale; one returning an overwritten value is, by versions and ms', () => {
    const b = builder();
    b.write(1); // lines 1-2, done at 2 ms
    b.read(1); // fresh
    b.write(2); // done at 6 ms
    b.write(3); // done at 8 ms
    b.wait(10);
    b.read(1, 'b'); // invoked at 19 ms: 2 newer writes, the first done 13 ms before
    const r = checkStaleReads(indexOps(b.ops)) as any;
    assert.equal(r.valid, true, 'a measurement never fails without a bound');
    assert.equal(r.reads, 2);
    assert.equal(r.stale, 1);
    assert.equal(r.staleFraction, 0.5);
    assert.deepEqual([r.worst[0].versionsBehind, r.worst[0].msBehind, r.worst[0].region, r.worst[0].line], [2, 13, 'b', 10]);
    assert.deepEqual(r.versionsBehind, { count: 1, p50: 2, p90: 2, p99: 2, max: 2 });
    assert.deepEqual(r.byRegion, { a: { reads: 1, stale: 0 }, b: { reads: 1, stale: 1 } });
  });

  it('a null read is behind every completed write; an info or concurrent write is never "newer"', () => {
    const b = builder();
    b.write(1, 'a', 'info');
    b.read(null); // the info write may not have happened: not stale
    b.write(2);
    b.read(null); // behind the ok write 2
    const r = checkStaleReads(indexOps(b.ops)) as any;
    assert.equal(r.stale, 1);
    assert.equal(r.worst[0].versionsBehind, 1);
  });

  it('a value no write wrote is unattributed, not stale', () => {
    const b = builder();
    b.write(1);
    b.read(7);
    assert.equal((checkStaleReads(indexOps(b.ops)) as any).unattributed, 1);
  });

  it('sameRegion counts only the read\'s own region\'s writes; maxMsBehind turns staleness into a bound', () => {
    const b = builder();
    b.write(1, 'a');
    b.write(2, 'b');
    b.wait(300);
    b.read(1, 'a');
    assert.equal((checkStaleReads(indexOps(b.ops), { sameRegion: true }) as any).stale, 0);
    const bounded = checkStaleReads(indexOps(b.ops), { maxMsBehind: 250 }) as any;
    assert.equal(bounded.valid, false);
    assert.equal(bounded.overBound.length, 1);
    assert.equal(checkStaleReads(indexOps(b.ops), { maxMsBehind: 1000 }).valid, true);
  });

  it('a zero bound makes any read behind an acknowledged write of its region a violation, named as such', () => {
    const b = builder();
    b.write(1, 'a');
    b.write(2, 'a');
    b.wait(1);
    b.read(1, 'a');
    b.read(2, 'a');
    const r = checkStaleReads(indexOps(b.ops), { sameRegion: true, maxMsBehind: 0 }) as any;
    assert.equal(r.valid, false);
    assert.equal(r.overBound.length, 1);
    assert.match(r.reason, /^1 reads behind a write their region had acknowledged before they began/);
    const other = builder();
    other.write(1, 'a');
    other.write(2, 'b');
    other.wait(1);
    other.read(1, 'a');
    assert.equal(checkStaleReads(indexOps(other.ops), { sameRegion: true, maxMsBehind: 0 }).valid, true, 'another region\'s write is not held against it');
  });

  it('too little data: no ok read is unknown', () => {
    const b = builder();
    b.write(1);
    const r = checkStaleReads(indexOps(b.ops));
    assert.equal(r.valid, 'unknown');
    assert.match(String(r.reason), /too little data: 0 ok reads/);
  });

  it('a sequential history where every read returns the latest write has no stale read', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (steps) => {
      const b = builder();
      let last: number | null = null;
      steps.forEach((isWrite, i) => {
        if (isWrite) b.write((last = i + 1));
        else b.read(last);
      });
      const r = checkStaleReads(indexOps(b.ops)) as any;
      if (steps.some((w) => !w)) assert.equal(r.stale, 0);
    }));
  });

  it('every read returning the initial state after n writes is n versions behind', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
      const b = builder();
      for (let i = 1; i <= n; i++) b.write(i);
      b.read(null);
      assert.equal((checkStaleReads(indexOps(b.ops)) as any).worst[0].versionsBehind, n);
    }));
  });

  it('a write that lost by version to the value read is not newer: a read of the last-writer-wins winner is not stale', () => {
    const ops: Op[] = [];
    let t = 0;
    const pair = (process: number, f: string, value: unknown, region: string, version: string) => {
      ops.push({ type: 'invoke', process, f, key: 'k', value: f === 'read' ? null : value, time: (t += MS), region });
      ops.push({ type: 'ok', process, f, key: 'k', value, time: (t += MS), region, meta: { version } });
    };
    pair(0, 'write', 30, 'b', 'v0200.b'); // the winner: a higher version (the other region's clock was ahead)
    pair(1, 'write', 32, 'a', 'v0100.a'); // later in real time, lower version: it loses
    t += 1000 * MS;
    pair(2, 'read', 30, 'a', 'v0200.b');
    const r = checkStaleReads(indexOps(ops), { sameRegion: true, maxMsBehind: 250 }) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.stale, 0);
    pair(3, 'write', 33, 'a', 'v0300.a'); // a local write that wins
    t += 1000 * MS;
    pair(4, 'read', 30, 'a', 'v0200.b');
    const late = checkStaleReads(indexOps(ops), { sameRegion: true, maxMsBehind: 250 }) as any;
    assert.equal(late.valid, false, 'a read missing a local write of a higher version is still stale');
    assert.deepEqual([late.worst[0].line, late.worst[0].versionsBehind], [10, 1]);
  });
});
