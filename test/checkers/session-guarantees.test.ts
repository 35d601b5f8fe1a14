import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkSessionGuarantees, sessionGuaranteesChecker } from '../../checkers/session-guarantees.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

function builder() {
  const ops: Op[] = [];
  let t = 0;
  const pair = (process: number, f: string, key: string, value: unknown, result: unknown, region: string, session?: string, version?: string) => {
    const meta = session ? { session } : undefined;
    ops.push({ type: 'invoke', process, f, key, value, time: (t += 1000), region, ...(meta ? { meta } : {}) });
    ops.push({ type: 'ok', process, f, key, value: result, time: (t += 1000), region, meta: { ...meta, ...(version ? { version } : {}) } });
  };
  return {
    ops,
    add: (p: number, e: unknown, region = 'a', session?: string) => pair(p, 'add', 's', e, e, region, session),
    read: (p: number, vis: unknown[], region = 'a', session?: string) => pair(p, 'read', 's', null, vis, region, session),
    write: (p: number, v: unknown, version: string | undefined, region = 'a') => pair(p, 'write', 'r', v, v, region, undefined, version),
    rread: (p: number, v: unknown, version: string | undefined, region = 'a') => pair(p, 'read', 'r', null, v, region, undefined, version),
    del: (p: number, version: string | undefined, region = 'a') => pair(p, 'delete', 'r', null, null, region, undefined, version),
  };
}
const check = (ops: Op[]) => checkSessionGuarantees(indexOps(ops)) as any;

/** Register ops with versions and vector clocks, as the layer reports them. */
function clocked() {
  const ops: Op[] = [];
  let t = 0;
  const pair = (process: number, f: string, value: unknown, result: unknown, region: string, version: string, vclock: Record<string, number>) => {
    ops.push({ type: 'invoke', process, f, key: 'r', value, time: (t += 1000), region });
    ops.push({ type: 'ok', process, f, key: 'r', value: result, time: (t += 1000), region, meta: { version, vclock } });
  };
  return {
    ops,
    write: (p: number, v: unknown, version: string, vclock: Record<string, number>, region = 'a') => pair(p, 'write', v, v, region, version, vclock),
    read: (p: number, v: unknown, version: string, vclock: Record<string, number>, region = 'a') => pair(p, 'read', null, v, region, version, vclock),
  };
}

describe('checkers/session-guarantees', () => {
  it('vector clocks: a session\'s later reads and writes must cover what it wrote and read before', () => {
    const ok = clocked();
    ok.write(0, 1, 'v1', { a: 1 }, 'a');
    ok.read(1, 1, 'v1', { a: 1 }, 'b');
    ok.write(0, 2, 'v2', { a: 1, b: 1 }, 'b');
    ok.write(1, 3, 'v3', { a: 1, b: 2 }, 'a');
    const good = check(ok.ops);
    assert.equal(good.valid, true, good.reason);

    // Process 0 wrote in a, then wrote in b, which had not received the first write: versions still rise (b's clock
    // ran ahead), so only the clocks show that the second write did not follow the first.
    const bad = clocked();
    bad.write(0, 1, 'v1', { a: 1 }, 'a');
    bad.write(0, 2, 'v2', { b: 1 }, 'b');
    bad.read(1, 1, 'v1', { a: 1 }, 'a');
    bad.write(1, 3, 'v3', { b: 2 }, 'b');
    bad.read(1, 3, 'v3', { b: 2 }, 'b');
    const r = check(bad.ops);
    assert.equal(r.valid, false);
    assert.equal(r.counts.MW, 1);
    assert.equal(r.counts.WFR, 1);
    assert.equal(r.counts.MR, 1);
    const mw = r.violations.find((v: any) => v.guarantee === 'MW');
    assert.match(mw.detail, /lacks what the session wrote before \(a: 0 < 1\)/);
    assert.equal(mw.earlier.line, 2);
  });

  it('valid set history: sessions see their writes and what they saw before', () => {
    const b = builder();
    b.add(0, 1, 'a');
    b.read(0, [1], 'b');
    b.add(1, 2, 'b');
    b.read(1, [1, 2], 'a');
    b.read(0, [1, 2], 'a');
    const r = check(b.ops);
    assert.equal(r.valid, true, r.reason);
    assert.ok(r.checked.RYW > 0 && r.checked.MW > 0);
  });

  it('RYW: a roaming session does not see its own write', () => {
    const b = builder();
    b.add(0, 1, 'a');
    b.read(0, [], 'b');
    const r = check(b.ops);
    assert.equal(r.valid, false);
    assert.deepEqual(r.violations, [{ guarantee: 'RYW', session: '0', key: 's', op: { line: 4, region: 'b' }, earlier: { line: 2, region: 'a' }, missing: [1] }]);
  });

  it('one violation per read, naming the latest earlier write and the others', () => {
    const b = builder();
    b.add(0, 1, 'a');
    b.add(0, 2, 'a');
    b.read(0, [], 'b');
    const r = check(b.ops);
    assert.equal(r.counts.RYW, 1);
    assert.deepEqual([r.violations[0].earlier.line, r.violations[0].alsoEarlier, r.violations[0].missing], [4, [2], [1, 2]]);
  });

  it('MR: a later read in the session loses an element an earlier one saw', () => {
    const b = builder();
    b.add(1, 7, 'a');
    b.read(0, [7], 'a');
    b.read(0, [], 'b');
    const r = check(b.ops);
    assert.equal(r.counts.MR, 1);
    assert.equal(r.counts.RYW, 0);
    assert.deepEqual([r.violations[0].op.line, r.violations[0].earlier.line, r.violations[0].missing], [6, 4, [7]]);
  });

  it('MW: a reader sees a session\'s second write but not its first', () => {
    const b = builder();
    b.add(0, 1, 'a');
    b.add(0, 2, 'a');
    b.read(5, [2], 'b');
    const r = check(b.ops);
    assert.equal(r.valid, false);
    assert.equal(r.counts.MW, 1);
    const v = r.violations[0];
    assert.deepEqual([v.session, v.op.line, v.op.session, v.earlier.line, v.missing], ['0', 6, '5', 2, [1]]);
  });

  it('a session missing its own earlier write is one RYW violation, not also MW', () => {
    const b = builder();
    b.add(0, 1, 'a');
    b.add(0, 2, 'a');
    b.read(0, [2], 'b');
    const r = check(b.ops);
    assert.deepEqual(r.counts, { RYW: 1, MR: 0, MW: 0, WFR: 0 });
  });

  it('WFR: a reader sees a write but not what its writer had read before writing', () => {
    const b = builder();
    b.add(9, 1, 'a');
    b.read(0, [1], 'a');
    b.add(0, 2, 'a');
    b.read(5, [2], 'b');
    const r = check(b.ops);
    assert.equal(r.counts.WFR, 1);
    assert.equal(r.counts.MW, 0);
    assert.deepEqual([r.violations[0].earlier.line, r.violations[0].missing], [4, [1]]);
  });

  it('a concurrent read (invoked before the write completed) owes nothing to RYW', () => {
    const ops: Op[] = [
      { type: 'invoke', process: 0, f: 'add', key: 's', value: 1, time: 1, meta: { session: 'x' } },
      { type: 'invoke', process: 1, f: 'read', key: 's', value: null, time: 2, meta: { session: 'x' } },
      { type: 'ok', process: 0, f: 'add', key: 's', value: 1, time: 3, meta: { session: 'x' } },
      { type: 'ok', process: 1, f: 'read', key: 's', value: [], time: 4, meta: { session: 'x' } },
    ];
    assert.equal(check(ops).valid, true);
  });

  it('sessions span processes through meta.session', () => {
    const b = builder();
    b.add(0, 1, 'a', 'carol');
    b.read(3, [], 'b', 'carol');
    assert.equal(check(b.ops).counts.RYW, 1);
    const c = builder();
    c.add(0, 1, 'a', 'carol');
    c.read(3, [], 'b', 'dave');
    assert.equal(check(c.ops).valid, true);
  });

  it('registers with versions: RYW, MR, MW and WFR by version order', () => {
    const ryw = builder();
    ryw.write(0, 'x', '002-a');
    ryw.rread(0, 'old', '001-b', 'b');
    assert.deepEqual(check(ryw.ops).violations[0].version, { got: '001-b', mustExceedOrEqual: '002-a' });

    const mr = builder();
    mr.rread(0, 'y', '005-a');
    mr.rread(0, null, undefined, 'b');
    assert.equal(check(mr.ops).counts.MR, 1);

    const mw = builder();
    mw.write(0, 'x', '005-a');
    mw.write(0, 'y', '004-b', 'b');
    assert.equal(check(mw.ops).counts.MW, 1);

    const wfr = builder();
    wfr.rread(0, 'z', '009-c');
    wfr.write(0, 'w', '003-a');
    assert.equal(check(wfr.ops).counts.WFR, 1);

    const ok = builder();
    ok.write(0, 'x', '002-a');
    ok.rread(0, 'x', '002-a', 'b');
    ok.rread(0, 'q', '003-c', 'b');
    ok.write(0, 'y', '004-b', 'b');
    assert.equal(check(ok.ops).valid, true);
  });

  it('a delete is a register write: its tombstone must be read by its session and exceed what the session saw', () => {
    const ryw = builder();
    ryw.del(0, '006-a');
    ryw.rread(0, 'x', '002-b', 'b');
    assert.deepEqual(check(ryw.ops).violations[0], { guarantee: 'RYW', session: '0', key: 'r', op: { line: 4, region: 'b' }, earlier: { line: 2, region: 'a' }, version: { got: '002-b', mustExceedOrEqual: '006-a' } });

    const wfr = builder();
    wfr.rread(0, 'z', '009-c');
    wfr.del(0, '003-a');
    assert.equal(check(wfr.ops).counts.WFR, 1);

    const ok = builder();
    ok.write(0, 'x', '002-a');
    ok.del(0, '004-b', 'b');
    ok.rread(0, null, '004-b', 'c');
    assert.equal(check(ok.ops).valid, true);
  });

  it('registers without versions: only "initial < any write" is used, and that is said', () => {
    const b = builder();
    b.write(0, 'x', undefined);
    b.rread(0, null, undefined, 'b');
    const r = check(b.ops);
    assert.equal(r.counts.RYW, 1);
    assert.match(r.unchecked.join(' '), /without meta\.version/);
  });

  it('skips keys with removes and is unknown when nothing could be checked', async () => {
    const ops: Op[] = [
      { type: 'invoke', process: 0, f: 'remove', key: 's', value: 1, time: 1 },
      { type: 'ok', process: 0, f: 'remove', key: 's', value: 1, time: 2 },
    ];
    const r = check(ops);
    assert.equal(r.valid, 'unknown');
    assert.match(r.unchecked[0], /removes/);
    assert.equal(sessionGuaranteesChecker().name, 'session-guarantees');
  });
});

describe('checkers/session-guarantees properties', () => {
  // A single copy serving every region: sequential operations on it satisfy every session guarantee.
  const program = fc.array(fc.record({ session: fc.integer({ min: 0, max: 3 }), read: fc.boolean(), region: fc.constantFrom('a', 'b', 'c') }), { minLength: 1, maxLength: 40 });
  const run = (steps: { session: number; read: boolean; region: string }[]) => {
    const ops: Op[] = [];
    const store: number[] = [];
    let t = 0;
    steps.forEach((s, i) => {
      const meta = { session: `s${s.session}` };
      const f = s.read ? 'read' : 'add';
      if (!s.read) store.push(i);
      const value = s.read ? [...store] : i;
      ops.push({ type: 'invoke', process: i, f, key: 'k', value: s.read ? null : i, time: t++, region: s.region, meta });
      ops.push({ type: 'ok', process: i, f, key: 'k', value, time: t++, region: s.region, meta });
    });
    return ops;
  };

  it('a single sequential copy never violates a guarantee', () => {
    fc.assert(fc.property(program, (steps) => {
      const r = check(run(steps));
      assert.notEqual(r.valid, false, JSON.stringify(r.violations));
    }));
  });

  it('hiding a session\'s acknowledged add from its own later read is always caught', () => {
    fc.assert(fc.property(program, fc.nat(), (steps, pick) => {
      const ops = run(steps);
      // Candidates: a read whose session completed an add before it.
      const candidates: number[] = [];
      for (let i = 1; i < ops.length; i += 2) {
        if (ops[i].f !== 'read') continue;
        const own = ops.slice(0, i).filter((o) => o.type === 'ok' && o.f === 'add' && o.meta!.session === ops[i].meta!.session);
        if (own.length) candidates.push(i);
      }
      fc.pre(candidates.length > 0);
      const i = candidates[pick % candidates.length];
      const own = ops.slice(0, i).filter((o) => o.type === 'ok' && o.f === 'add' && o.meta!.session === ops[i].meta!.session);
      const hidden = own[own.length - 1].value;
      ops[i] = { ...ops[i], value: (ops[i].value as number[]).filter((e) => e !== hidden) };
      const r = check(ops);
      assert.equal(r.valid, false);
      assert.ok(r.violations.some((v: any) => v.guarantee === 'RYW' && v.op.line === i + 1 && v.missing.includes(hidden)));
    }));
  });
});
