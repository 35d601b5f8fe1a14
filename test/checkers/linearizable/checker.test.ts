import { strict as assert } from 'node:assert';
import type { Model } from '../../../harness/core/model.ts';
import type { Op } from '../../../harness/core/op.ts';
import { HistoryFormatError, indexOps, parseHistory } from '../../../harness/history/reader.ts';
import { checkLinearizable, linearizableChecker, type Counterexample } from '../../../checkers/linearizable/index.ts';

const ev = (type: Op['type'], process: number, f: string, value: unknown, key = 'x'): Op => ({ type, process, f, key, value, time: 0 });

describe('linearizable: checker on hand-made histories', () => {
  it('is named linearizable and uses the run budget when its own options set none', async () => {
    const c = linearizableChecker({ model: 'register' });
    assert.equal(c.name, 'linearizable');
    const r = await c.check(indexOps([ev('invoke', 0, 'write', 1), ev('ok', 0, 'write', 1)]), { budgetMs: 1000 });
    assert.equal(r.valid, true);
  });

  it('an empty history is valid', async () => {
    const r = await checkLinearizable([], { model: 'cas-register' });
    assert.equal(r.valid, true);
    assert.deepEqual(r.partitions, {});
  });

  it('a stale read after a completed write is a violation with a readable counterexample', async () => {
    const h = indexOps([
      ev('invoke', 0, 'write', 1),
      ev('ok', 0, 'write', 1),
      ev('invoke', 1, 'write', 2),
      ev('ok', 1, 'write', 2),
      ev('invoke', 0, 'read', null),
      ev('ok', 0, 'read', 1),
    ]);
    const r = await checkLinearizable(h, { model: 'register' });
    assert.equal(r.valid, false);
    const ce = r.counterexample as Counterexample;
    assert.equal(ce.key, 'x');
    assert.deepEqual(ce.cannotPlace, { line: 5, completeLine: 6, op: 'read[x]() → 1' });
    assert.deepEqual(
      ce.longestPrefix.map((s) => [s.line, s.state]),
      [
        [1, '1'],
        [3, '2'],
      ],
    );
    assert.equal(ce.prefixLength, 2);
    assert.deepEqual(ce.statesReached, ['2']);
    assert.match(ce.message, /line 5–6\) cannot be linearized/);
    assert.equal(r.reason, ce.message);
  });

  it('non-overlapping reads of 2 then 1 after write 1 completed before write 2 began are a violation', async () => {
    const h = indexOps([
      ev('invoke', 0, 'write', 1),
      ev('ok', 0, 'write', 1),
      ev('invoke', 0, 'write', 2),
      ev('invoke', 1, 'read', null),
      ev('ok', 1, 'read', 2),
      ev('invoke', 1, 'read', null),
      ev('ok', 1, 'read', 1),
      ev('ok', 0, 'write', 2),
    ]);
    assert.equal((await checkLinearizable(h, { model: 'register' })).valid, false);
  });

  it('an info write may take effect long after it was invoked, or never', async () => {
    const base = [ev('invoke', 0, 'write', 1), ev('info', 0, 'write', null), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', null)];
    assert.equal((await checkLinearizable(indexOps([...base, ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1)]), { model: 'register' })).valid, true);
    assert.equal((await checkLinearizable(indexOps(base), { model: 'register' })).valid, true);
    // once seen, it cannot be un-seen
    const seenThenGone = [...base, ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', null)];
    assert.equal((await checkLinearizable(indexOps(seenThenGone), { model: 'register' })).valid, false);
  });

  it('an invoke never completed counts as info', async () => {
    const h = indexOps([ev('invoke', 0, 'write', 1), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 1)]);
    assert.equal((await checkLinearizable(h, { model: 'register' })).valid, true);
  });

  it('a failed cas did not happen; an ok cas returning false asserts the value differed', async () => {
    const failed = indexOps([ev('invoke', 0, 'cas', [null, 5]), ev('fail', 0, 'cas', null), ev('invoke', 0, 'read', null), ev('ok', 0, 'read', null)]);
    assert.equal((await checkLinearizable(failed, { model: 'cas-register' })).valid, true);
    const falseCas = indexOps([ev('invoke', 0, 'write', 3), ev('ok', 0, 'write', 3), ev('invoke', 0, 'cas', [3, 4]), ev('ok', 0, 'cas', false)]);
    assert.equal((await checkLinearizable(falseCas, { model: 'cas-register' })).valid, false);
    const fromImpossible = indexOps([ev('invoke', 0, 'write', 3), ev('ok', 0, 'write', 3), ev('invoke', 0, 'cas', [7, 4]), ev('ok', 0, 'cas', true)]);
    assert.equal((await checkLinearizable(fromImpossible, { model: 'cas-register' })).valid, false);
  });

  it('a set read missing an add that completed before it began is a violation', async () => {
    const h = indexOps([ev('invoke', 0, 'add', 1), ev('ok', 0, 'add', 1), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', [])]);
    assert.equal((await checkLinearizable(h, { model: 'set' })).valid, false);
  });

  it('keys are checked independently and reported per key; nemesis events are ignored', async () => {
    const h = indexOps([
      ev('invoke', 0, 'write', 1, 'a'),
      { type: 'invoke', process: 'nemesis', f: 'partition', value: null, time: 0 },
      ev('ok', 0, 'write', 1, 'a'),
      { type: 'info', process: 'nemesis', f: 'partition', value: 'cut', time: 0 },
      ev('invoke', 1, 'read', null, 'b'),
      ev('ok', 1, 'read', 1, 'b'),
    ]);
    const r = await checkLinearizable(h, { model: 'register' });
    assert.equal(r.valid, false);
    const parts = r.partitions as Record<string, { valid: unknown; ops: number }>;
    assert.deepEqual(Object.keys(parts).sort(), ['a', 'b']);
    assert.equal(parts.a.valid, true);
    assert.equal(parts.b.valid, false);
    assert.equal((r.counterexample as Counterexample).key, 'b');
  });

  it('bad input is an error naming the line and what is wrong', async () => {
    const text = [JSON.stringify(ev('invoke', 0, 'cas', 5)), JSON.stringify(ev('ok', 0, 'cas', true))].join('\n');
    await assert.rejects(checkLinearizable(parseHistory(text, 'h.jsonl').ops, { model: 'cas-register', file: 'h.jsonl' }), (e: Error) => {
      assert.ok(e instanceof HistoryFormatError);
      assert.match(e.message, /^h\.jsonl:1: cas value must be \[expected, new\] \(got 5\) \(op invoked here, completed on line 2; model cas-register\)$/);
      return true;
    });
    await assert.rejects(checkLinearizable(indexOps([ev('invoke', 0, 'incr', 1), ev('ok', 0, 'incr', 1)]), { model: 'register' }), /:1: f "incr" is not an operation of the register model/);
    await assert.rejects(checkLinearizable(indexOps([ev('ok', 0, 'read', 1)]), { model: 'register' }), /:1: completion for process 0 has no open invoke/);
  });

  it("accepts a user's own Model, checked on the calling thread", async () => {
    // A counter: incr adds its value, read returns the total.
    const counter: Model<number, { f: string; value: unknown }, unknown> = {
      name: 'counter',
      init: () => 0,
      step: (s, i, o) => (i.f === 'incr' ? { ok: true, next: s + (i.value as number) } : { ok: typeof o === 'symbol' || o === s, next: s }),
      equal: (a, b) => a === b,
      hash: (s) => s,
    };
    const ok = indexOps([ev('invoke', 0, 'incr', 2), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 2), ev('ok', 0, 'incr', 2)]);
    assert.equal((await checkLinearizable(ok, { model: counter, workers: 2 })).valid, true);
    const bad = indexOps([ev('invoke', 0, 'incr', 2), ev('ok', 0, 'incr', 2), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', 3)]);
    assert.equal((await checkLinearizable(bad, { model: counter })).valid, false);
  });

  /**
   * Twelve appends all pending at once while gets show them land one by one: every order of the appends is a
   * different string, so a search that learns a wrong order only at the get it contradicts tries orders by the
   * million.
   */
  const pinnedAppends = (order: readonly number[]): ReturnType<typeof indexOps> => {
    const n = order.length;
    const events: Op[] = [];
    for (let p = 0; p < n; p++) events.push(ev('invoke', p, 'append', `<${p}>`));
    let text = '';
    for (const p of order) {
      text += `<${p}>`;
      events.push(ev('invoke', 100, 'get', null), ev('ok', 100, 'get', text));
    }
    for (let p = 0; p < n; p++) events.push(ev('ok', p, 'append', null));
    return indexOps(events);
  };

  it('kv: places concurrent appends in the order the gets during them show, without trying the other orders', async () => {
    const order = [7, 2, 11, 0, 5, 9, 1, 3, 10, 4, 8, 6];
    const r = await checkLinearizable(pinnedAppends(order), { model: 'kv', initial: '' });
    assert.equal(r.valid, true);
    const stats = r.stats as { cacheEntries: number };
    assert.ok(stats.cacheEntries < 500, `${stats.cacheEntries} configurations memoised`);
    const wrong = pinnedAppends(order).map((op) => (op.type === 'ok' && op.f === 'get' && op.value === '<7><2>' ? { ...op, value: '<2><7>' } : op));
    const bad = await checkLinearizable(wrong, { model: 'kv', initial: '' });
    assert.equal(bad.valid, false);
    assert.ok((bad.stats as { cacheEntries: number }).cacheEntries < 500);
  });

  it('cas-register: a read the state satisfies goes before the writes pending with it, which are not tried first', async () => {
    // Twenty writes of distinct values pending throughout while reads keep returning 0: each read goes first, alone,
    // where trying the writes first would try each set of them before every read.
    const events: Op[] = [ev('invoke', 99, 'write', 0), ev('ok', 99, 'write', 0)];
    for (let p = 0; p < 20; p++) events.push(ev('invoke', p, 'write', p + 1));
    for (let i = 0; i < 20; i++) events.push(ev('invoke', 100, 'read', null), ev('ok', 100, 'read', 0));
    for (let p = 0; p < 20; p++) events.push(ev('ok', p, 'write', p + 1));
    events.push(ev('invoke', 100, 'read', null), ev('ok', 100, 'read', 20));
    const r = await checkLinearizable(indexOps(events), { model: 'cas-register' });
    assert.equal(r.valid, true);
    assert.ok((r.stats as { cacheEntries: number }).cacheEntries < 500, `${(r.stats as { cacheEntries: number }).cacheEntries} configurations memoised`);
  });
});

/**
 * A cas register as Rift's cas-register workload drives etcd through partitions: every value written is new, a cas
 * expects one of the last three values issued, and one op in seven times out (info) and takes effect later or
 * never, its process replaced. Linearizable by construction: each op takes effect at one instant of its own.
 */
function timeoutHeavyCasHistory(seed: number, ops = 300, processes = 12): ReturnType<typeof indexOps> {
  let s = seed;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const events: { t: number; op: Op }[] = [];
  const effects: { t: number; apply: () => void }[] = [];
  const free = Array.from({ length: processes }, (_, i) => i * 0.3);
  const pid = free.map((_, i) => i);
  let nextPid = processes;
  let value: number | null = null;
  let issued = 0;
  const recent: number[] = [];
  for (let i = 0; i < ops; i++) {
    const p = free.indexOf(Math.min(...free));
    const t0 = free[p] + rnd() * 2;
    const info = rnd() < 0.15;
    const d = info ? 50 + rnd() * 200 : 1 + rnd() * 20;
    const at = info ? (rnd() < 0.5 ? t0 + rnd() * d * 3 : Infinity) : t0 + rnd() * d;
    const r = rnd();
    const f = r < 0.4 || (value === null && r < 0.7) ? 'write' : r < 0.7 ? 'read' : 'cas';
    const arg: unknown = f === 'write' ? ++issued : f === 'cas' ? [recent[Math.floor(rnd() * recent.length)] ?? 0, ++issued] : null;
    if (f !== 'read') recent.splice(0, recent.push(issued) - 3);
    const done: Op = { type: info ? 'info' : 'ok', process: pid[p], f, key: 'x', value: arg, time: 0 };
    events.push({ t: t0, op: { type: 'invoke', process: pid[p], f, key: 'x', value: arg, time: 0 } }, { t: t0 + d, op: done });
    effects.push({
      t: at,
      apply: () => {
        if (f === 'write') value = arg as number;
        else if (f === 'read') done.value = value;
        else if (value === (arg as number[])[0]) value = (arg as number[])[1];
        else if (!info) done.type = 'fail';
      },
    });
    if (info) pid[p] = nextPid++;
    free[p] = t0 + d;
  }
  effects.sort((a, b) => a.t - b.t).forEach((e) => e.t !== Infinity && e.apply());
  return indexOps(events.sort((a, b) => a.t - b.t).map((e, i) => ({ ...e.op, time: i })));
}

describe('linearizable: ops of unknown outcome', () => {
  // An op that timed out stays pending to the end. Tried only after every ok op, a write that did take effect was
  // placed only once the ok ops had failed in every order, over each set of the other pending ops: one such etcd
  // history of 285 ops filled the 4,000,000-entry memo. Tried where it was called, it costs a few entries per op.
  it('a cas register with many timed-out writes and cas is checked with a memo of a few entries per op', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const history = timeoutHeavyCasHistory(seed);
      const r = await checkLinearizable(history, { model: 'cas-register', workers: 1, explore: false });
      assert.equal(r.valid, true, `seed ${seed}: ${r.reason}`);
      const entries = (r.stats as { cacheEntries: number }).cacheEntries;
      assert.ok(entries < 20 * 300, `seed ${seed}: ${entries} configurations memoised for 300 ops`);
    }
  });
});
