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
