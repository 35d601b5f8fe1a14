import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkSet, setChecker } from '../../checkers/set.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

type T = 'ok' | 'fail' | 'info';
const MS = 1e6;
let t = 0;
const tick = () => (t += MS);
const add = (process: number, e: unknown, type: T, region = 'a'): Op[] => [
  { type: 'invoke', process, f: 'add', key: 's', value: e, time: tick(), region },
  { type, process, f: 'add', key: 's', value: e, time: tick(), region },
];
const read = (process: number, value: unknown[], region = 'a', final = false): Op[] => [
  { type: 'invoke', process, f: 'read', key: 's', value: null, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
  { type: 'ok', process, f: 'read', key: 's', value, time: tick(), region, ...(final ? { meta: { final: true } } : {}) },
];

describe('checkers/set', () => {
  it('valid: acknowledged adds present in every region, info add recovered, replication lag measured', () => {
    const h = indexOps([
      ...add(0, 1, 'ok', 'a'),
      ...read(1, [], 'b'),
      ...read(1, [1], 'b'),
      ...add(0, 2, 'info', 'a'),
      ...add(2, 3, 'fail', 'a'),
      ...read(3, [1, 2], 'a', true),
      ...read(4, [2, 1], 'b', true),
    ]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.recovered, 2);
    assert.equal(r.counts.lost, 0);
    assert.equal(r.counts.stale, 1);
    // 1 became known at its ack (2 ms); the last read in b without it was invoked at 3 ms: lag 1 ms + 1 ns.
    assert.equal(r.stale[0].region, 'b');
    assert.ok(Math.abs(r.stale[0].latencyMs - 1.000001) < 1e-9);
    assert.equal(r.latencyMs.byRegion.b.p100, r.stale[0].latencyMs);
    assert.equal(r.latencyMs.byRegion.a.p100, 0);
    assert.deepEqual(Object.keys(r.latencyMs.byRegionPair), ['a→a', 'a→b']);
    assert.equal(r.latencyMs.byRegionPair['a→b'].p100, r.stale[0].latencyMs);
    assert.equal(r.latencyMs.byRegionPair['a→b'].count, 2);
  });

  it('lost: an acknowledged add missing from the final read of every region', () => {
    const h = indexOps([...add(0, 1, 'ok', 'a'), ...read(3, [], 'a', true), ...read(4, [], 'b', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.lost, 2);
    assert.deepEqual([r.lost[1].element, r.lost[1].region, r.lost[1].lastAbsentLine, r.lost[1].addLine], [1, 'b', 6, 2]);
    assert.equal(r.reason, '2 lost (1 element, 1 with an acknowledged add)');
  });

  it('not lost: an acknowledged add missing from one region\'s final read but held by another is not converged', () => {
    const h = indexOps([...add(0, 1, 'ok', 'a'), ...read(3, [1], 'a', true), ...read(4, [], 'b', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.counts.lost, 0);
    assert.equal(r.counts.notConverged, 1);
    assert.deepEqual([r.notConverged[0].element, r.notConverged[0].region, r.notConverged[0].heldBy], [1, 'b', ['a']]);
    assert.match(r.reason, /1 missing from some region's final read but held by another/);
  });

  it('lost: an element once read, then gone from a final read, even if its add was indeterminate', () => {
    const h = indexOps([...add(0, 7, 'info', 'a'), ...read(1, [7], 'b'), ...read(1, [], 'b', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.lost[0].lastPresentLine, 4);
    assert.equal(r.reason, '1 lost (1 element, 0 with an acknowledged add)');
  });

  it('an indeterminate add that never shows up is not lost', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...add(0, 2, 'info'), ...read(3, [1], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true);
    assert.equal(r.counts.neverRead, 1);
  });

  it('unexpected: an element never added, and one whose add failed', () => {
    const h = indexOps([...add(0, 1, 'fail'), ...read(3, [1, 9], 'a')]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.equal(r.counts.unexpected, 2);
    assert.deepEqual(r.unexpected.map((u: any) => [u.element, u.failedAddLine]), [[1, 1], [9, undefined]]);
  });

  it('duplicates in one read', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(3, [1, 1], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.duplicates[0], { key: 's', element: 1, line: 4, region: 'a' });
  });

  it('stale reads are lag for an eventual set but a violation for a linearizable one', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(1, [], 'a'), ...read(1, [1], 'a', true)]);
    assert.equal(checkSet(h).valid, true);
    assert.equal(checkSet(h, { linearizable: true }).valid, false);
  });

  it('without final reads a missing element is absent-at-end, not lost, and that is said', () => {
    const h = indexOps([...add(0, 1, 'ok', 'a'), ...read(1, [], 'b'), ...read(2, [1], 'a')]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true);
    assert.equal(r.counts.absentAtEnd, 1);
    assert.match(r.unchecked.join(' '), /no final reads/);
  });

  it('unknown with no reads; removed elements are excluded from loss analysis', async () => {
    assert.equal((await setChecker().check(indexOps(add(0, 1, 'ok')), {})).valid, 'unknown');
    const h = indexOps([
      ...add(0, 1, 'ok'), ...add(0, 2, 'ok'),
      { type: 'invoke', process: 0, f: 'remove', key: 's', value: 1, time: tick() },
      { type: 'ok', process: 0, f: 'remove', key: 's', value: 1, time: tick() },
      ...read(1, [2], 'a', true),
    ]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.match(r.unchecked[0], /removed/);
  });

  it('leaves keys of other data types alone', () => {
    const h = indexOps([
      ...add(0, 1, 'ok'), ...read(1, [1], 'a', true),
      { type: 'invoke', process: 2, f: 'write', key: 'r', value: 5, time: tick() },
      { type: 'ok', process: 2, f: 'write', key: 'r', value: 5, time: tick() },
      { type: 'invoke', process: 2, f: 'read', key: 'r', value: null, time: tick() },
      { type: 'ok', process: 2, f: 'read', key: 'r', value: 5, time: tick() },
    ]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.counts.malformed, 0);
  });

  it('a read that is not an array is malformed: unknown, with the line', () => {
    const h = indexOps([...add(0, 1, 'ok'), ...read(1, 5 as unknown as unknown[], 'a', true)]);
    const r = checkSet(h) as any;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.malformed[0].line, 4);
  });
});

describe('checkers/set properties', () => {
  const program = fc.array(fc.record({ kind: fc.constantFrom<'add' | 'read'>('add', 'add', 'read'), type: fc.constantFrom<T>('ok', 'ok', 'info', 'fail'), region: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 30 });
  // A single copy: ok adds apply, failed ones do not, indeterminate ones may; reads and final reads see the copy.
  const run = (steps: { kind: 'add' | 'read'; type: T; region: string }[], applyInfo: boolean) => {
    const ops: Op[] = [];
    const store: number[] = [];
    steps.forEach((s, i) => {
      if (s.kind === 'add') {
        if (s.type === 'ok' || (s.type === 'info' && applyInfo)) store.push(i);
        ops.push(...add(i, i, s.type, s.region));
      } else ops.push(...read(i, [...store], s.region));
    });
    ops.push(...read(1000, [...store], 'a', true), ...read(1001, [...store], 'b', true));
    return ops;
  };

  it('a single copy is never lost, unexpected or duplicated, whether indeterminate adds land or not', () => {
    fc.assert(fc.property(program, fc.boolean(), (steps, applyInfo) => {
      const r = checkSet(indexOps(run(steps, applyInfo))) as any;
      assert.notEqual(r.valid, false, r.reason);
      assert.equal(r.counts.lost + r.counts.unexpected + r.counts.duplicates, 0);
    }));
  });

  it('dropping an acknowledged element from every final read is always lost; from one only, never', () => {
    fc.assert(fc.property(program, fc.nat(), (steps, pick) => {
      const ops = run(steps, false);
      const acked = ops.filter((o) => o.type === 'ok' && o.f === 'add').map((o) => o.value as number);
      fc.pre(acked.length > 0);
      const gone = acked[pick % acked.length];
      const drop = (i: number) => { ops[i] = { ...ops[i], value: (ops[i].value as number[]).filter((e) => e !== gone) }; };
      const last = ops.length - 1;
      drop(last);
      const one = checkSet(indexOps(ops)) as any;
      assert.ok(!one.lost.some((l: any) => l.element === gone), JSON.stringify(one.lost));
      assert.ok(one.notConverged.some((l: any) => l.element === gone && l.region === 'b'));
      drop(last - 2);
      const r = checkSet(indexOps(ops)) as any;
      assert.equal(r.valid, false);
      assert.ok(r.lost.some((l: any) => l.element === gone && l.region === 'b'));
    }));
  });
});
