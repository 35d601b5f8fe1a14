import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonical, checkConvergence, convergenceChecker } from '../../checkers/convergence.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const MS = 1e6;
type T = 'ok' | 'fail' | 'info';

function builder() {
  const ops: Op[] = [];
  let t = 0;
  let proc = 0;
  const pair = (f: string, key: string | undefined, value: unknown, result: unknown, type: T, region: string, meta?: Record<string, unknown>, cmeta?: Record<string, unknown>) => {
    const process = proc++;
    ops.push({ type: 'invoke', process, f, ...(key ? { key } : {}), value, time: (t += MS), region, ...(meta ? { meta } : {}) });
    ops.push({ type, process, f, ...(key ? { key } : {}), value: result, time: (t += MS), region, ...(meta || cmeta ? { meta: { ...meta, ...cmeta } } : {}) });
  };
  return {
    ops,
    at: (time: number) => { t = time; },
    write: (key: string, v: unknown, region = 'a', type: T = 'ok', version?: string) => pair('write', key, v, v, type, region, undefined, version ? { version } : undefined),
    del: (key: string, region = 'a', type: T = 'ok', version?: string) => pair('delete', key, null, null, type, region, undefined, version ? { version } : undefined),
    add: (key: string, e: unknown, region = 'a', type: T = 'ok') => pair('add', key, e, e, type, region),
    incr: (key: string, d: number, region = 'a', type: T = 'ok') => pair('incr', key, d, d, type, region),
    final: (key: string, v: unknown, region: string, cmeta?: Record<string, unknown>) => pair('read', key, null, v, 'ok', region, { final: true }, cmeta),
    probe: (region: string, applied: Record<string, number>, digest = 'd') => pair('digest', undefined, null, { digest, applied }, 'ok', region, { probe: true }),
    digestProbe: (region: string, digest: string) => pair('digest', undefined, null, { digest }, 'ok', region, { probe: true }),
    nemesis: (f: string, tookEffect = true) => {
      ops.push({ type: 'invoke', process: 'nemesis', f, value: null, time: (t += MS) });
      ops.push({ type: 'info', process: 'nemesis', f, value: f, time: (t += MS), ...(tookEffect ? {} : { meta: { tookEffect: false } }) });
    },
  };
}

describe('checkers/convergence', () => {
  it('canonical JSON ignores object key order', () => {
    assert.equal(canonical({ b: 1, a: [1, { d: 2, c: 3 }] }), canonical({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });

  it('maps agree whatever the order of their set fields, and differ when a field differs', () => {
    const judge = (b: unknown) => {
      const h = builder();
      const u = { field: 'tags', type: 'or-set', op: { op: 'add', element: 1 } };
      h.ops.push({ type: 'invoke', process: 90, f: 'map-update', key: 'map/k', value: u, time: 1, region: 'a' }, { type: 'ok', process: 90, f: 'map-update', key: 'map/k', value: u, time: 2, region: 'a' });
      h.final('map/k', { hits: 2, tags: [1, 2] }, 'a');
      h.final('map/k', b, 'b');
      return checkConvergence(indexOps(h.ops), { regions: ['a', 'b'] });
    };
    assert.equal(judge({ tags: [2, 1], hits: 2 }).valid, true);
    assert.equal(judge({ hits: 3, tags: [1, 2] }).valid, false);
  });

  it('valid when every region agrees on an admissible state (set order does not matter)', () => {
    const b = builder();
    b.write('r', 5, 'a');
    b.add('s', 1, 'a');
    b.add('s', 2, 'b');
    b.incr('c', 3, 'a');
    b.incr('c', 4, 'b', 'info');
    for (const reg of ['a', 'b']) {
      b.final('r', 5, reg);
      b.final('s', reg === 'a' ? [1, 2] : [2, 1], reg);
      b.final('c', 7, reg);
    }
    const r = checkConvergence(indexOps(b.ops)) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.final.agreed, 3);
    assert.match(r.unchecked[0], /no convergence probes/);
  });

  it('reports per-region differences of a divergent set', () => {
    const b = builder();
    b.add('s', 1, 'a');
    b.add('s', 2, 'b');
    b.final('s', [1, 2], 'a');
    b.final('s', [1], 'b');
    const r = checkConvergence(indexOps(b.ops)) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.final.divergent[0].regions, { b: { lacks: [2], extra: [] }, a: { lacks: [], extra: [2] } });
    assert.deepEqual(r.final.divergent[0].lines, { a: 6, b: 8 });
  });

  it('uses the last final read per region (a later round can converge)', () => {
    const b = builder();
    b.write('r', 1, 'a');
    b.final('r', null, 'b');
    b.final('r', 1, 'a');
    b.final('r', 1, 'b');
    assert.equal(checkConvergence(indexOps(b.ops)).valid, true);
  });

  it('divergent vector clocks are a difference even when values agree', () => {
    const b = builder();
    b.write('r', 1, 'a');
    b.final('r', 1, 'a', { vclock: { a: 1, b: 0 } });
    b.final('r', 1, 'b', { vclock: { a: 1, b: 2 } });
    const r = checkConvergence(indexOps(b.ops)) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.final.divergent[0].vclocks, { a: { a: 1, b: 0 }, b: { a: 1, b: 2 } });
  });

  it('inadmissible agreed states: unwritten register value, lost LWW write, counter, set', () => {
    const reg = builder();
    reg.write('r', 1, 'a');
    reg.write('r', 2, 'a', 'fail');
    reg.final('r', 2, 'a');
    reg.final('r', 2, 'b');
    assert.match((checkConvergence(indexOps(reg.ops)) as any).final.inadmissible[0].reason, /never written/);

    const lww = builder();
    lww.write('r', 1, 'a', 'ok', '0001-a');
    lww.write('r', 2, 'b', 'ok', '0002-b');
    lww.final('r', 1, 'a', { version: '0001-a' });
    lww.final('r', 1, 'b', { version: '0001-a' });
    const r = checkConvergence(indexOps(lww.ops)) as any;
    assert.equal(r.valid, false);
    assert.match(r.final.inadmissible[0].reason, /older than the acknowledged write of version 0002-b/);
    // Write-once keys keep the earliest write: the same final is right, and the later one would be the lost write.
    assert.equal(checkConvergence(indexOps(lww.ops), { registerWins: 'earliest' }).valid, true);
    const once = builder();
    once.write('r', 1, 'a', 'ok', '0001-a');
    once.write('r', 2, 'b', 'ok', '0002-b');
    once.final('r', 2, 'a', { version: '0002-b' });
    once.final('r', 2, 'b', { version: '0002-b' });
    assert.match((checkConvergence(indexOps(once.ops), { registerWins: 'earliest' }) as any).final.inadmissible[0].reason, /newer than the acknowledged write of version 0001-a/);

    const ctr = builder();
    ctr.incr('c', 3, 'a');
    ctr.incr('c', 4, 'a', 'fail');
    ctr.final('c', 7, 'a');
    ctr.final('c', 7, 'b');
    assert.equal(checkConvergence(indexOps(ctr.ops)).valid, false);

    const set = builder();
    set.add('s', 1, 'a');
    set.add('s', 2, 'a');
    set.final('s', [1], 'a');
    set.final('s', [1], 'b');
    assert.match((checkConvergence(indexOps(set.ops)) as any).final.inadmissible[0].reason, /lacks acknowledged/);
  });

  it('a delete writes the absent value, which wins or loses by version like any write', () => {
    const judge = (final: unknown, version: string) => {
      const b = builder();
      b.write('r', 1, 'a', 'ok', '0001-a');
      b.del('r', 'b', 'ok', '0002-b');
      b.final('r', final, 'a', { version });
      b.final('r', final, 'b', { version });
      return checkConvergence(indexOps(b.ops)) as any;
    };
    assert.equal(judge(null, '0002-b').valid, true, 'the later delete won everywhere');
    assert.match(judge(1, '0001-a').final.inadmissible[0].reason, /older than the acknowledged write of version 0002-b/);
    assert.match(judge(1, '0002-b').final.inadmissible[0].reason, /final version 0002-b carries 1, but the write of that version wrote null/);
  });

  it('multi-value registers: regions must agree on the siblings, each of which was written', () => {
    const b = builder();
    b.write('m', 1, 'a');
    b.write('m', 2, 'b');
    b.final('m', 2, 'a', { siblings: [1, 2] });
    b.final('m', 2, 'b', { siblings: [2, 1] });
    assert.equal(checkConvergence(indexOps(b.ops)).valid, true);
    const c = builder();
    c.write('m', 1, 'a');
    c.write('m', 2, 'b');
    c.final('m', 2, 'a', { siblings: [1, 2] });
    c.final('m', 2, 'b', { siblings: [2] });
    assert.equal(checkConvergence(indexOps(c.ops)).valid, false);
    const d = builder();
    d.write('m', 2, 'b');
    d.final('m', 2, 'a', { siblings: [7, 2] });
    d.final('m', 2, 'b', { siblings: [2, 7] });
    assert.match((checkConvergence(indexOps(d.ops)) as any).final.inadmissible[0].reason, /sibling 7 was never written/);
  });

  it('lists: order matters across regions, and the agreed list holds only appended elements', () => {
    const b = builder();
    const append = (e: number) => {
      b.ops.push({ type: 'invoke', process: 50 + e, f: 'append', key: 'l', value: e, time: b.ops.length, region: 'a' });
      b.ops.push({ type: 'ok', process: 50 + e, f: 'append', key: 'l', value: e, time: b.ops.length, region: 'a' });
    };
    append(1);
    append(2);
    b.final('l', [1, 2], 'a');
    b.final('l', [1, 2], 'b');
    assert.equal(checkConvergence(indexOps(b.ops)).valid, true);
    b.final('l', [2, 1], 'b');
    assert.equal(checkConvergence(indexOps(b.ops)).valid, false);
    b.final('l', [1, 2, 3], 'a');
    b.final('l', [1, 2, 3], 'b');
    assert.match((checkConvergence(indexOps(b.ops)) as any).final.inadmissible[0].reason, /list holds elements never successfully attempted: 3/);
  });

  it('unknown when a region has no final read, or there are none at all', () => {
    const b = builder();
    b.write('r', 1, 'a');
    b.final('r', 1, 'a');
    const r = checkConvergence(indexOps(b.ops), { regions: ['a', 'b'] }) as any;
    assert.equal(r.valid, 'unknown');
    assert.deepEqual(r.final.missing, [{ key: 'r', regions: ['b'] }]);
    const none = builder();
    none.write('r', 1, 'a');
    assert.equal(checkConvergence(indexOps(none.ops)).valid, 'unknown');
  });

  it('measures time from a heal to applied-vector convergence, with bounds, by fault kind', () => {
    const b = builder();
    b.probe('a', { a: 5, b: 3 });
    b.probe('b', { a: 4, b: 3 });
    b.nemesis('partition');
    b.probe('a', { a: 8, b: 3 });
    b.probe('b', { a: 5, b: 6 });
    b.nemesis('heal'); // info at 12 ms
    b.probe('a', { a: 8, b: 3 }); // 13-14: a's head 8
    b.probe('b', { a: 5, b: 6 }); // 15-16: b's head 6
    b.probe('a', { a: 8, b: 6 }); // 17-18: a converged
    b.probe('b', { a: 7, b: 6 }); // 19-20
    b.probe('b', { a: 8, b: 6 }); // 21-22: b converged
    b.write('r', 1, 'a');
    b.final('r', 1, 'a');
    b.final('r', 1, 'b');
    const r = checkConvergence(indexOps(b.ops)) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.windows.length, 1);
    const w = r.windows[0];
    assert.equal(w.status, 'converged');
    assert.equal(w.method, 'applied');
    assert.deepEqual(w.target, { a: 8, b: 6 });
    assert.equal(w.lowerMs, 7); // b's previous probe was invoked at 19 ms
    assert.equal(w.upperMs, 10); // b's converged probe completed at 22 ms
    assert.deepEqual(r.byKind.partition.converged, 1);
  });

  it('an origin missing from an applied vector counts as 0 applied', () => {
    const b = builder();
    b.nemesis('partition');
    b.nemesis('heal');
    b.probe('a', { a: 0 });
    b.probe('b', { b: 0 });
    const r = checkConvergence(indexOps(b.ops), { regions: [] }) as any;
    assert.equal(r.windows[0].status, 'converged');
    assert.deepEqual(r.windows[0].target, { a: 0, b: 0 });
  });

  it('without applied vectors, times convergence by digest equality across regions', () => {
    const b = builder();
    b.nemesis('partition');
    b.digestProbe('a', 'x');
    b.nemesis('heal'); // info at 6 ms
    b.digestProbe('a', 'y'); // 7-8
    b.digestProbe('b', 'x'); // 9-10
    b.digestProbe('a', 'y'); // 11-12
    b.digestProbe('b', 'y'); // 13-14: agreement
    b.nemesis('kill');
    b.nemesis('restart'); // info at 18 ms
    b.digestProbe('a', 'z');
    b.digestProbe('b', 'w');
    const r = checkConvergence(indexOps(b.ops), { regions: [] }) as any;
    assert.deepEqual(r.windows.map((w: any) => [w.kind, w.method, w.status]), [['partition', 'digest', 'converged'], ['kill', 'digest', 'not-converged']]);
    assert.equal(r.windows[0].lowerMs, 3); // b's probe showing x was invoked at 9 ms
    assert.equal(r.windows[0].upperMs, 8);
    assert.match(r.unchecked[0], /digest equality/);
  });

  it('not-converged when a region never catches up; faults that did not take effect open no window', () => {
    const b = builder();
    b.nemesis('kill', false);
    b.nemesis('kill');
    b.nemesis('restart');
    b.probe('a', { a: 2, b: 0 });
    b.probe('b', { a: 1, b: 0 });
    b.probe('b', { a: 1, b: 0 });
    b.nemesis('pause');
    const r = checkConvergence(indexOps(b.ops), { regions: [] }) as any;
    assert.deepEqual(r.windows.map((w: any) => w.status), ['not-converged', 'never-healed']);
    assert.deepEqual(r.windows[0].lagging, ['b']);
    assert.match(r.reason, /1 of 2 fault windows did not converge/);
  });

  it('property: the verdict and figures do not depend on region names', () => {
    const names = ['us', 'eu', 'ap'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ elem: fc.integer({ min: 0, max: 5 }), region: fc.integer({ min: 0, max: 2 }), type: fc.constantFrom<T>('ok', 'info', 'fail') }), { maxLength: 8 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.record({ region: fc.integer({ min: 0, max: 2 }), a: fc.nat(5), b: fc.nat(5), c: fc.nat(5) }), { maxLength: 10 }),
        fc.constantFrom(['x', 'y', 'z'], ['eu', 'ap', 'us'], ['ap', 'us', 'eu']),
        (adds, finals, probes, renamed) => {
          const build = (rn: readonly string[]) => {
            const b = builder();
            for (const p of probes.slice(0, 4)) b.probe(rn[p.region], { [rn[0]]: p.a, [rn[1]]: p.b, [rn[2]]: p.c });
            b.nemesis('partition');
            b.nemesis('heal');
            for (const a of adds) b.add('s', a.elem, rn[a.region], a.type);
            for (const p of probes.slice(4)) b.probe(rn[p.region], { [rn[0]]: p.a, [rn[1]]: p.b, [rn[2]]: p.c });
            finals.forEach((f, i) => b.final('s', f, rn[i]));
            return checkConvergence(indexOps(b.ops), { regions: rn }) as any;
          };
          const x = build(names);
          const y = build(renamed);
          assert.equal(x.valid, y.valid);
          assert.equal(x.final.counts.divergent, y.final.counts.divergent);
          assert.deepEqual((x.windows ?? []).map((w: any) => [w.status, w.lowerMs, w.upperMs]), (y.windows ?? []).map((w: any) => [w.status, w.lowerMs, w.upperMs]));
        },
      ),
    );
  });

  it('is exposed as a named checker', async () => {
    assert.equal(convergenceChecker().name, 'convergence');
    assert.equal((await convergenceChecker().check([], {})).valid, 'unknown');
  });
});
