import { strict as assert } from 'node:assert';
import { applyLocal, merge, parseStored, read, StrategyMismatchError, type Stored } from '../../../layer/resolver/index.ts';

const ctx = (region: string, wall: number, vclock: Record<string, number>) => ({ region, version: { hlc: { wall, logical: 0 }, region, seq: wall }, vclock });

function ok(r: ReturnType<typeof applyLocal>): Stored {
  assert.ok(r.ok, !r.ok ? r.message : '');
  return r.stored;
}

describe('layer/resolver/index', () => {
  it('reads an absent key as null', () => {
    assert.deepEqual(read(undefined), { value: null });
  });

  it('applyLocal joins the clock and keeps the greatest version', () => {
    const a = ok(applyLocal('lww', undefined, { op: 'put', value: 1 }, ctx('us-east', 5, { 'us-east': 1 })));
    const b = ok(applyLocal('lww', a, { op: 'put', value: 2 }, ctx('eu-west', 9, { 'us-east': 1, 'eu-west': 1 })));
    assert.deepEqual(b.vclock, { 'eu-west': 1, 'us-east': 1 });
    assert.equal(b.version.hlc.wall, 9);
    assert.equal(b.strategy, 'lww');
  });

  it('refuses to apply a strategy other than the one the key holds', () => {
    const a = ok(applyLocal('lww', undefined, { op: 'put', value: 1 }, ctx('us-east', 5, { 'us-east': 1 })));
    assert.deepEqual(applyLocal('or-set', a, { op: 'add', element: 1 }, ctx('us-east', 6, { 'us-east': 2 })),
      { ok: false, error: 'wrong-type', message: 'key holds a lww value, not a or-set' });
  });

  it('reports a non-JSON value as rejected instead of throwing', () => {
    const r = applyLocal('lww', undefined, { op: 'put', value: () => 1 }, ctx('us-east', 5, { 'us-east': 1 }));
    assert.deepEqual(r, { ok: false, error: 'rejected', message: 'value: function is not a JSON value' });
  });

  it('merge of two strategies is a configuration error, named as such', () => {
    const a = ok(applyLocal('lww', undefined, { op: 'put', value: 1 }, ctx('us-east', 5, { 'us-east': 1 })));
    const b = ok(applyLocal('pn-counter', undefined, { op: 'incr', delta: 1 }, ctx('eu-west', 5, { 'eu-west': 1 })));
    assert.throws(() => merge(a, b), (e: unknown) => e instanceof StrategyMismatchError && /lww state with a pn-counter state/.test(e.message));
  });

  it('merge into nothing adopts the incoming state and reports no conflict', () => {
    const a = ok(applyLocal('lww', undefined, { op: 'put', value: 1 }, ctx('us-east', 5, { 'us-east': 1 })));
    const r = merge(undefined, a);
    assert.equal(r.conflict, false);
    assert.deepEqual(r.stored, a);
  });

  it('merge flags concurrent writes and not sequential ones', () => {
    const a = ok(applyLocal('pn-counter', undefined, { op: 'incr', delta: 1 }, ctx('us-east', 5, { 'us-east': 1 })));
    const seq = ok(applyLocal('pn-counter', a, { op: 'incr', delta: 1 }, ctx('eu-west', 6, { 'us-east': 1, 'eu-west': 1 })));
    const conc = ok(applyLocal('pn-counter', undefined, { op: 'incr', delta: 1 }, ctx('eu-west', 6, { 'eu-west': 1 })));
    assert.equal(merge(a, seq).conflict, false);
    assert.equal(merge(seq, a).conflict, false);
    assert.equal(merge(a, conc).conflict, true);
  });

  it('parseStored round-trips every strategy through JSON unchanged', () => {
    const states = [
      ok(applyLocal('lww', undefined, { op: 'delete' }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('lww-register', undefined, { op: 'put', value: { z: 1, a: [true, null] } }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('reject', undefined, { op: 'put', value: 'once' }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('pn-counter', undefined, { op: 'incr', delta: -4 }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('or-set', undefined, { op: 'add', element: { k: 'v' } }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('mv-register', undefined, { op: 'put', value: 3 }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('siblings', undefined, { op: 'delete' }, ctx('us-east', 1, { 'us-east': 1 }))),
      ok(applyLocal('map', undefined, { op: 'map-update', field: 'f', innerStrategy: 'or-set', inner: { op: 'add', element: 1 } }, ctx('us-east', 1, { 'us-east': 1 }))),
    ];
    for (const s of states) assert.equal(JSON.stringify(parseStored(JSON.parse(JSON.stringify(s)), 'x')), JSON.stringify(s), s.strategy);
  });

  it('parseStored names the bad field', () => {
    const good = ok(applyLocal('or-set', undefined, { op: 'add', element: 'e' }, ctx('us-east', 1, { 'us-east': 1 })));
    const bad = (mutate: (s: any) => void) => {
      const s = JSON.parse(JSON.stringify(good));
      mutate(s);
      return () => parseStored(s, 'replicate.batch[3]');
    };
    assert.throws(bad((s) => (s.strategy = 'crdt')), /^TypeError: replicate\.batch\[3\]\.strategy: unknown strategy "crdt"/);
    assert.throws(bad((s) => delete s.state), /replicate\.batch\[3\]\.state: missing/);
    assert.throws(bad((s) => (s.vclock = { 'us-east': -1 })), /replicate\.batch\[3\]\.vclock\.us-east: expected a non-negative integer/);
    assert.throws(bad((s) => (s.version.seq = 'one')), /replicate\.batch\[3\]\.version\.seq/);
    assert.throws(bad((s) => (s.state.entries[0][1][0] = ['us-east', 7])), /replicate\.batch\[3\]\.state\.entries\[0\]\[1\]\[0\]: dot us-east#7 is not covered/);
    assert.throws(bad((s) => s.state.entries.push(['e', [['us-east', 1]]])), /element "e" appears twice/);
    assert.throws(() => parseStored('nope', 'redis[k]'), /redis\[k\]: expected an object/);
  });
});
