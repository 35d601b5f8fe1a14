import { strict as assert } from 'node:assert';
import { causalChecker, checkCausal, dotIn, vcLeq } from '../../checkers/causal.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

function builder(key = 'r') {
  const ops: Op[] = [];
  let t = 0;
  let proc = 0;
  const pair = (f: string, value: unknown, result: unknown, region: string, cmeta: Record<string, unknown>, imeta?: Record<string, unknown>) => {
    const process = proc++;
    ops.push({ type: 'invoke', process, f, key, value, time: (t += 10), region, ...(imeta ? { meta: imeta } : {}) });
    ops.push({ type: 'ok', process, f, key, value: result, time: (t += 10), region, meta: { ...imeta, ...cmeta } });
  };
  return {
    ops,
    write: (v: unknown, dot: [string, number], vclock?: Record<string, number>, region = 'a', session?: string) =>
      pair('write', v, v, region, { dot, ...(vclock ? { vclock } : {}) }, session ? { session } : undefined),
    add: (e: unknown, dot: [string, number], region = 'a') => pair('add', e, e, region, { dot }),
    read: (v: unknown, vclock: Record<string, number>, region = 'a', session?: string) => pair('read', null, v, region, { vclock }, session ? { session } : undefined),
  };
}
const check = (ops: Op[]) => checkCausal(indexOps(ops)) as any;

describe('checkers/causal', () => {
  it('vector clock helpers', () => {
    assert.ok(dotIn(['a', 2], { a: 3 }));
    assert.ok(!dotIn(['b', 1], { a: 3 }));
    assert.ok(vcLeq({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!vcLeq({ a: 2 }, { a: 1, b: 2 }));
  });

  it('valid register history: each read returns the causally latest write in its context', () => {
    const b = builder();
    b.write(1, ['a', 1], { a: 1 });
    b.write(2, ['b', 1], { a: 1, b: 1 }, 'b');
    b.read(1, { a: 1 }, 'c');
    b.read(2, { a: 1, b: 1 }, 'a');
    const r = check(b.ops);
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.readsChecked, 2);
  });

  it('places a write by its own clock when it has one, even if its dot counts another space (a region\'s whole log)', () => {
    const b = builder();
    b.write(1, ['a', 5], { a: 2 });
    b.read(1, { a: 2 }, 'b');
    assert.equal(check(b.ops).valid, true);
    const c = builder();
    c.write(1, ['a', 5], { a: 2 });
    c.read(1, { a: 1 }, 'b');
    assert.match(check(c.ops).anomalies[0].detail, /clock \{"a":2\}, which its context \{"a":1\} does not include/);
  });

  it('reads-from: a read returning a write its context lacks', () => {
    const b = builder();
    b.write(1, ['a', 1]);
    b.read(1, { b: 3 }, 'b');
    const r = check(b.ops);
    assert.equal(r.valid, false);
    assert.deepEqual([r.anomalies[0].kind, r.anomalies[0].line, r.anomalies[0].related], ['read-outside-context', 4, [2]]);
  });

  it('not overwritten: the context includes a write that causally follows the one returned', () => {
    const b = builder();
    b.write(1, ['a', 1], { a: 1 });
    b.write(2, ['b', 1], { a: 1, b: 1 }, 'b');
    b.read(1, { a: 1, b: 1 }, 'c');
    const r = check(b.ops);
    assert.equal(r.counts['overwritten-in-context'], 1);
    assert.deepEqual(r.anomalies[0].related, [2, 4]);
  });

  it('concurrent writes in the context are not an overwrite (LWW may pick either)', () => {
    const b = builder();
    b.write(1, ['a', 1], { a: 1 });
    b.write(2, ['b', 1], { b: 1 }, 'b');
    b.read(1, { a: 1, b: 1 }, 'c');
    b.read(1, { a: 1, b: 1 }, 'a');
    assert.equal(check(b.ops).valid, true);
  });

  it('without a write clock, a later write from the same origin overwrites an earlier one', () => {
    const b = builder();
    b.write(1, ['a', 1]);
    b.write(2, ['a', 2]);
    b.read(1, { a: 2 }, 'b');
    assert.equal(check(b.ops).counts['overwritten-in-context'], 1);
  });

  it('initial value read although the context includes a write', () => {
    const b = builder();
    b.write(1, ['a', 1]);
    b.read(null, { a: 1 }, 'b');
    assert.equal(check(b.ops).counts['overwritten-in-context'], 1);
  });

  it('sets: an element outside the context, and an add inside the context that is missing', () => {
    const b = builder('s');
    b.add(1, ['a', 1]);
    b.add(2, ['b', 1], 'b');
    b.read([1, 2], { a: 1 }, 'a');
    b.read([1], { a: 1, b: 1 }, 'c');
    const r = check(b.ops);
    assert.equal(r.counts['read-outside-context'], 1);
    assert.equal(r.counts['missing-from-context'], 1);
  });

  it('equal contexts must give equal states (set order aside)', () => {
    const b = builder('s');
    b.add(1, ['a', 1]);
    b.add(2, ['a', 2]);
    b.read([1, 2], { a: 2 }, 'a');
    b.read([2, 1], { a: 2 }, 'b');
    assert.equal(check(b.ops).valid, true);
    const c = builder();
    c.write(1, ['a', 1], { a: 1 });
    c.write(2, ['b', 1], { b: 1 }, 'b');
    c.read(1, { a: 1, b: 1 }, 'a');
    c.read(2, { a: 1, b: 1 }, 'b');
    assert.equal(check(c.ops).counts['same-context-different-value'], 1);
  });

  it('multi-value reads: siblings are exactly the concurrent latest writes in the context', () => {
    const withSiblings = (ops: Op[], siblings: unknown[]) => {
      const last = ops[ops.length - 1];
      ops[ops.length - 1] = { ...last, meta: { ...last.meta, siblings } };
      return ops;
    };
    const b = builder('m');
    b.write(1, ['a', 1], { a: 1 });
    b.write(2, ['b', 1], { b: 1 }, 'b');
    b.write(3, ['a', 2], { a: 2 });
    b.read(3, { a: 2, b: 1 }, 'c');
    assert.equal(check(withSiblings(b.ops, [2, 3])).valid, true);
    const r = check(withSiblings(b.ops, [1, 2, 3]));
    assert.equal(r.counts['siblings-not-maximal'], 1);
    assert.match(r.anomalies[0].detail, /concurrent latest writes in its context are \[/);
    assert.equal(check(withSiblings(b.ops, [3])).counts['siblings-not-maximal'], 1);
  });

  it('a region\'s context must not shrink; nor a session\'s', () => {
    const b = builder();
    b.write(1, ['a', 1], { a: 1 });
    b.read(1, { a: 1 }, 'b');
    b.read(null, {}, 'b');
    const r = check(b.ops);
    assert.equal(r.counts['region-context-regression'], 1);
    assert.deepEqual([r.anomalies.find((a: any) => a.kind === 'region-context-regression').line, r.anomalies.find((a: any) => a.kind === 'region-context-regression').related], [6, [4]]);

    const s = builder();
    s.write(1, ['a', 1], { a: 1 }, 'a', 'alice');
    s.read(null, {}, 'b', 'alice');
    const rs = check(s.ops);
    assert.equal(rs.counts['session-context-regression'], 1);
    assert.equal(rs.counts['region-context-regression'], 0);
  });

  it('says what it could not check, and is unknown without clocks', async () => {
    const ops: Op[] = [
      { type: 'invoke', process: 0, f: 'write', key: 'r', value: 1, time: 1 },
      { type: 'ok', process: 0, f: 'write', key: 'r', value: 1, time: 2 },
      { type: 'invoke', process: 1, f: 'read', key: 'r', value: null, time: 3 },
      { type: 'ok', process: 1, f: 'read', key: 'r', value: 1, time: 4 },
    ];
    const r = await causalChecker().check(indexOps(ops), {});
    assert.equal(r.valid, 'unknown');
    const text = (r.unchecked as string[]).join('\n');
    assert.match(text, /no reads carry meta\.vclock/);
    assert.match(text, /neither meta\.dot nor meta\.vclock/);
    assert.match(text, /black-box/);
  });
});
