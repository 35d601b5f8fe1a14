import { strict as assert } from 'node:assert';
import { StateCache } from '../../../layer/coordinator/state-cache.ts';

describe('coordinator state cache', () => {
  it('keeps at most its bound, dropping the least recently set key first', () => {
    const c = new StateCache(2);
    c.set('a', { n: '1', stored: undefined });
    c.set('b', { n: '1', stored: undefined });
    c.set('a', { n: '2', stored: undefined });
    c.set('c', { n: '1', stored: undefined });
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a')?.n, '2');
    assert.equal(c.get('c')?.n, '1');
  });

  it('refreshes a key it holds and leaves out one it does not', () => {
    const c = new StateCache();
    c.set('a', { n: '1', stored: undefined, json: '' });
    c.refresh('a', { n: '2', stored: undefined, json: '' });
    c.refresh('b', { n: '1', stored: undefined, json: '' });
    assert.equal(c.get('a')?.n, '2');
    assert.equal(c.get('b'), undefined);
  });

  it('forgets an invalidated key and everything on clear', () => {
    const c = new StateCache();
    c.set('a', { n: '1', stored: undefined });
    c.set('b', { n: '1', stored: undefined });
    c.invalidate('a');
    assert.equal(c.get('a'), undefined);
    c.clear();
    assert.equal(c.get('b'), undefined);
  });
});
