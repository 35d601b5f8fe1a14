import { strict as assert } from 'node:assert';
import { UNKNOWN } from '../../../harness/core/model.ts';
import { namedModel } from '../../../checkers/linearizable/models/index.ts';
import { keyedModel } from '../../../checkers/linearizable/models/keyed.ts';
import { kvModel } from '../../../checkers/linearizable/models/kv.ts';
import { registerModel } from '../../../checkers/linearizable/models/register.ts';
import { setModel } from '../../../checkers/linearizable/models/set.ts';
import { hashStringSampled } from '../../../checkers/linearizable/model.ts';

const op = (f: string, value: unknown = null, key?: string) => (key === undefined ? { f, value } : { f, key, value });

describe('linearizable: models', () => {
  describe('register', () => {
    const m = registerModel();
    it('starts absent, and a read of null observes absence (not an unknown result)', () => {
      assert.equal(m.step(m.init(), op('read'), null).ok, true);
      assert.equal(m.step(m.init(), op('read'), 0).ok, false);
      const s = m.step(m.init(), op('write', 0), 0).next;
      assert.equal(m.step(s, op('read'), null).ok, false, 'a written register is not absent');
      assert.equal(m.step(s, op('read'), UNKNOWN).ok, true);
    });
    it('compares structured values by content, key order ignored', () => {
      const s = m.step(m.init(), op('write', { a: 1, b: [2] }), null).next;
      assert.equal(m.step(s, op('read'), { b: [2], a: 1 }).ok, true);
      assert.equal(m.step(s, op('read'), { a: 1, b: [3] }).ok, false);
      assert.equal(m.hash(s), m.hash(m.step(m.init(), op('write', { b: [2], a: 1 }), null).next));
    });
    it('rejects cas and unknown fs with a message naming the model', () => {
      assert.match(m.checkOp!(op('cas', [1, 2]), true)!, /not an operation of the register model/);
      assert.match(m.checkOp!(op('incr', 1), undefined)!, /expected read, write/);
    });
    it('takes an initial value', () => {
      const r = registerModel({ initial: 0 });
      assert.equal(r.step(r.init(), op('read'), 0).ok, true);
    });
  });

  describe('cas-register', () => {
    const m = namedModel('cas-register', 1);
    it('a true cas needs the expected value and installs the new one', () => {
      const r = m.step(m.init(), op('cas', [1, 2]), true);
      assert.deepEqual([r.ok, m.step(r.next, op('read'), 2).ok], [true, true]);
      assert.equal(m.step(m.init(), op('cas', [3, 2]), true).ok, false);
    });
    it('a false cas is an observation that the value differed, and changes nothing', () => {
      assert.equal(m.step(m.init(), op('cas', [1, 2]), false).ok, false);
      const r = m.step(m.init(), op('cas', [3, 2]), false);
      assert.equal(r.ok, true);
      assert.equal(m.step(r.next, op('read'), 1).ok, true);
    });
    it('a cas that returned false only observes: the search may place it as it places a read', () => {
      assert.equal(m.observesOnly!(op('cas', [1, 2]), false), true);
      assert.equal(m.observesOnly!(op('cas', [1, 2]), true), false);
      assert.equal(m.observesOnly!(op('cas', [1, 2]), [1, 2]), false);
      assert.equal(m.observesOnly!(op('write', 1), null), false);
    });
    it('an unknown cas is legal everywhere and swaps only when the value matches', () => {
      assert.equal(m.step(m.init(), op('cas', [3, 2]), UNKNOWN).next, m.init());
      assert.notEqual(m.step(m.init(), op('cas', [1, 2]), UNKNOWN).next, m.init());
    });
    it("accepts Jepsen's echoed [expected, new] as a swap, and rejects other cas results", () => {
      assert.equal(m.step(m.init(), op('cas', [1, 2]), [1, 2]).ok, true);
      assert.equal(m.checkOp!(op('cas', [1, 2]), [1, 2]), undefined);
      assert.match(m.checkOp!(op('cas', [1, 2]), 'yes')!, /cas ok value must be/);
      assert.match(m.checkOp!(op('cas', 5), true)!, /\[expected, new\]/);
    });
  });

  describe('kv', () => {
    it('gets what was put, appends strings by concatenation and lists by element', () => {
      const m = kvModel('');
      let s = m.step(m.init(), op('append', 'ab'), null).next;
      s = m.step(s, op('append', 'c'), null).next;
      assert.equal(m.step(s, op('get'), 'abc').ok, true);
      assert.equal(m.step(s, op('get'), 'ab').ok, false);
      const l = kvModel(null);
      let t = l.step(l.init(), op('append', 1), null).next;
      t = l.step(t, op('append', 2), null).next;
      assert.equal(l.step(t, op('get'), [1, 2]).ok, true);
      assert.equal(l.step(l.init(), op('get'), null).ok, true, 'absent key reads as null');
      assert.equal(l.step(l.init(), op('get'), '').ok, false, 'absent is not the empty string');
    });
    it('knows appends only extend a value, so a get of a string the value is not a prefix of can follow only a put', () => {
      const m = kvModel(null);
      assert.equal(m.grows!(op('append', 'x')), true);
      assert.equal(m.grows!(op('put', 'x')), false);
      const ab = m.step(m.step(m.init(), op('append', 'a'), null).next, op('append', 'b'), null).next;
      assert.equal(m.canGrowInto!(ab, op('get'), 'abc'), true);
      assert.equal(m.canGrowInto!(ab, op('get'), 'ab'), true);
      assert.equal(m.canGrowInto!(ab, op('get'), 'ba'), false);
      assert.equal(m.canGrowInto!(ab, op('get'), 'a'), false, 'longer than what the get returned');
      assert.equal(m.canGrowInto!(ab, op('get'), null), false, 'a key that holds something never reads absent again');
      assert.equal(m.canGrowInto!(m.init(), op('get'), null), true);
      assert.equal(m.canGrowInto!(m.init(), op('get'), 'zz'), true, 'absent grows into any string');
      const list = m.step(m.init(), op('append', 1), null).next;
      assert.equal(m.canGrowInto!(list, op('get'), 'a'), false, 'a list never becomes a string by appends');
      assert.equal(m.canGrowInto!(list, op('get'), [1, 2]), true);
    });
    it('describes states for people', () => {
      const m = kvModel('');
      assert.equal(m.describeState!(m.step(m.init(), op('put', 'x'), null).next), '"x"');
      assert.equal(kvModel().describeState!(kvModel().init()), 'absent');
    });
  });

  describe('set', () => {
    const m = setModel();
    it('reads the whole set in any order, and contains checks one element', () => {
      let s = m.step(m.init(), op('add', 2), null).next;
      s = m.step(s, op('add', 1), null).next;
      assert.equal(m.step(s, op('read'), [1, 2]).ok, true);
      assert.equal(m.step(s, op('read'), [2, 1]).ok, true);
      assert.equal(m.step(s, op('read'), [1]).ok, false);
      assert.equal(m.step(s, op('read'), [1, 2, 2]).ok, false, 'a set holds an element once');
      assert.equal(m.step(s, op('contains', 1), true).ok, true);
      s = m.step(s, op('remove', 1), null).next;
      assert.equal(m.step(s, op('contains', 1), false).ok, true);
      assert.ok(m.equal(m.step(m.step(m.init(), op('add', 1), null).next, op('add', 2), null).next, m.step(m.step(m.init(), op('add', 2), null).next, op('add', 1), null).next));
    });
  });

  describe('keyed', () => {
    it('keeps one inner state per key, and equal maps are equal whatever the write order', () => {
      const m = keyedModel(registerModel());
      const a = m.step(m.step(m.init(), op('write', 1, 'x'), null).next, op('write', 2, 'y'), null).next;
      const b = m.step(m.step(m.init(), op('write', 2, 'y'), null).next, op('write', 1, 'x'), null).next;
      assert.ok(m.equal(a, b));
      assert.equal(m.hash(a), m.hash(b));
      assert.equal(m.step(a, op('read', null, 'x'), 1).ok, true);
      assert.equal(m.step(a, op('read', null, 'z'), null).ok, true);
      assert.equal(m.partitionByKey, false);
    });
  });

  it('sampled string hashing agrees on equal strings and separates appends', () => {
    const long = 'x'.repeat(500);
    assert.equal(hashStringSampled(long + 'ab'), hashStringSampled('x'.repeat(500) + 'ab'));
    assert.notEqual(hashStringSampled(long + 'ab'), hashStringSampled(long + 'ac'));
  });

  it('namedModel rejects unknown names and bad set initial values', () => {
    assert.throws(() => namedModel('queue' as never), /unknown linearizability model "queue"/);
    assert.throws(() => namedModel('set', 5), /initial must be an array/);
  });
});
