import { strict as assert } from 'node:assert';
import { HotCache } from '../../../layer/tiers/hot-cache.ts';

describe('hot cache', () => {
  it('serves an entry only within the staleness bound', () => {
    let now = 0;
    const c = new HotCache<number>(100, 10, () => now);
    c.set('k', 1);
    now = 100;
    assert.equal(c.get('k'), 1);
    now = 101;
    assert.equal(c.get('k'), undefined);
    assert.equal(c.hits, 1);
    assert.equal(c.misses, 1);
  });

  it('drops invalidated entries and evicts the oldest when full', () => {
    const c = new HotCache<number>(1000, 2, () => 0);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    assert.equal(c.get('a'), undefined);
    assert.equal(c.get('c'), 3);
    c.invalidate('c');
    assert.equal(c.get('c'), undefined);
  });
});

describe('hot cache loads', () => {
  const deferred = <T>() => {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('caches what a load returns when nothing dropped the key meanwhile', async () => {
    const c = new HotCache<number>(1000, 10, () => 0);
    assert.equal(await c.load('k', async () => 1), 1);
    assert.equal(c.get('k'), 1);
  });

  it('does not cache a load the key was dropped during: it may predate the write that dropped it', async () => {
    const c = new HotCache<number>(1000, 10, () => 0);
    const old = deferred<number>();
    const loading = c.load('k', () => old.promise);
    c.invalidate('k');
    old.resolve(1);
    assert.equal(await loading, 1, 'the read itself still gets its value');
    assert.equal(c.get('k'), undefined);
    assert.equal(await c.load('k', async () => 2), 2, 'a load begun after the drop is cached');
    assert.equal(c.get('k'), 2);
  });

  it('of two overlapping loads, only one begun after the last drop is cached, whichever ends first', async () => {
    for (const firstEndsFirst of [true, false]) {
      const c = new HotCache<number>(1000, 10, () => 0);
      const before = deferred<number>();
      const after = deferred<number>();
      const a = c.load('k', () => before.promise);
      c.invalidate('k');
      const b = c.load('k', () => after.promise);
      if (firstEndsFirst) { before.resolve(1); await a; after.resolve(2); await b; } else { after.resolve(2); await b; before.resolve(1); await a; }
      assert.equal(c.get('k'), 2, `first load ends ${firstEndsFirst ? 'first' : 'last'}`);
    }
  });

  it('a failed load caches nothing and leaves no trace of the key being loaded', async () => {
    const c = new HotCache<number>(1000, 10, () => 0);
    await assert.rejects(c.load('k', async () => { throw new Error('redis down'); }), /redis down/);
    c.invalidate('k');
    assert.equal(await c.load('k', async () => 3), 3);
    assert.equal(c.get('k'), 3, 'a drop while nothing loads does not count against a later load');
  });
});
