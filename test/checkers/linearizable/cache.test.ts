import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ByteBudget, ConfigCache, FULL, INSERTED, PRESENT } from '../../../checkers/linearizable/cache.ts';
import { ILLEGAL, NOT_COMPUTED, StateTable, TransitionTable } from '../../../checkers/linearizable/memo.ts';
import { giveInts, takeInts } from '../../../checkers/linearizable/scratch.ts';

describe('linearizable: memo tables', () => {
  it('the configuration cache behaves as a set of (bitset, state), however much the hashes collide', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 255 })), { maxLength: 300 }), (items) => {
        const cache = new ConfigCache(2, 1_000_000, new ByteBudget(1 << 30), 4);
        const model = new Set<string>();
        for (const [state, bits] of items) {
          const key = `${state}:${bits}`;
          // a deliberately poor hash (3 bits), so that equality has to decide almost every lookup
          const r = cache.insert((state + bits) & 7, state, Int32Array.of(bits, bits >> 3));
          assert.equal(r, model.has(key) ? PRESENT : INSERTED);
          model.add(key);
        }
        assert.equal(cache.size, model.size);
      }),
    );
  });

  it('caches of one thread share a byte budget, and give it back when released', () => {
    const budget = new ByteBudget(ConfigCache.bytesPerEntry(1) * 3);
    const a = new ConfigCache(1, 100, budget);
    const b = new ConfigCache(1, 100, budget);
    assert.equal(a.insert(1, 0, Int32Array.of(1)), INSERTED);
    assert.equal(a.insert(2, 0, Int32Array.of(2)), INSERTED);
    assert.equal(b.insert(3, 0, Int32Array.of(3)), INSERTED);
    assert.equal(b.insert(4, 0, Int32Array.of(4)), FULL);
    a.release();
    assert.equal(b.insert(4, 0, Int32Array.of(4)), INSERTED);
  });

  it('the entry cap is per cache', () => {
    const c = new ConfigCache(1, 2, new ByteBudget(1 << 20));
    c.insert(1, 0, Int32Array.of(1));
    c.insert(2, 0, Int32Array.of(2));
    assert.equal(c.insert(3, 0, Int32Array.of(3)), FULL);
    assert.equal(c.insert(1, 0, Int32Array.of(1)), PRESENT, 'a full cache still answers lookups');
  });

  it('a recycled array comes back cleared to the fill asked for, and is not handed out twice', () => {
    const a = takeInts(48, 0);
    a.fill(7);
    giveInts(a);
    const b = takeInts(48, -1);
    const c = takeInts(48, 0);
    assert.ok(b !== c);
    assert.ok(b.every((x) => x === -1));
    assert.ok(c.every((x) => x === 0));
  });

  it('state interning gives equal states one id, even when every hash collides', () => {
    const t = new StateTable<string>({ hash: () => 7, equal: (a, b) => a === b });
    const ids = ['a', 'b', 'a', 'c', 'b'].map((s) => t.intern(s));
    assert.deepEqual(ids, [0, 1, 0, 2, 1]);
    for (let i = 0; i < 500; i++) assert.equal(t.intern(`s${i % 250}`), 3 + (i % 250));
  });

  it('the transition table remembers, and forgets everything (never wrongly) when full', () => {
    const t = new TransitionTable(4);
    assert.equal(t.get(0, 0), NOT_COMPUTED);
    t.set(0, 0, 5);
    t.set(0, 1, ILLEGAL);
    t.set(1, 0, 2);
    t.set(2, 3, 1);
    assert.deepEqual([t.get(0, 0), t.get(0, 1), t.get(1, 0), t.get(2, 3)], [5, ILLEGAL, 2, 1]);
    t.set(9, 9, 9);
    assert.equal(t.get(9, 9), 9);
    assert.equal(t.get(0, 0), NOT_COMPUTED);
  });
});
