import { strict as assert } from 'node:assert';
import { NodeClock } from '../../../layer/coordinator/node-clock.ts';

describe('layer NodeClock tick (clock-tie hook)', () => {
  it('two clocks stepped alike hand out equal timestamps for their first event after a step', () => {
    const a = new NodeClock(false, 60_000);
    const b = new NodeClock(false, 60_000);
    a.setTick(60_000);
    b.setTick(60_000);
    const ta = a.now();
    const tb = b.now();
    // Both read the same minute boundary; unless the minute turned between the two calls, the stamps are equal.
    if (ta.wall === tb.wall) assert.deepEqual(ta, tb);
    assert.equal(ta.wall % 60_000, 0);
    // Further events in the same step advance the logical part only.
    const next = a.now();
    assert.ok(next.wall > ta.wall || next.logical === ta.logical + 1);
  });

  it('smooth again after setTick(null), keeping the offset', () => {
    const c = new NodeClock(false, 60_000);
    c.setOffset(5_000);
    c.setTick(60_000);
    assert.equal(c.tickMs, 60_000);
    c.setTick(null);
    assert.equal(c.tickMs, null);
    const before = Date.now() + 5_000;
    const t = c.now();
    assert.ok(t.wall >= before && t.wall <= Date.now() + 5_000, `${t.wall} not near ${before}`);
  });
});
