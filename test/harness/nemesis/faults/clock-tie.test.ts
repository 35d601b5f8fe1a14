import { strict as assert } from 'node:assert';
import { ClockTieFault } from '../../../../harness/nemesis/faults/clock-tie.ts';
import type { Op } from '../../../../harness/core/op.ts';

const op = (f: string, value: unknown): Op => ({ type: 'invoke', process: 'nemesis', f, value, time: 0 });

class FakeClocks {
  readonly ticks = new Map<string, number | null>();
  failFor?: string;
  async setClockTick(region: string, tickMs: number | null): Promise<void> {
    if (region === this.failFor) throw new Error(`admin hook of ${region} refused`);
    this.ticks.set(region, tickMs);
  }
}

describe('nemesis clock-tie fault', () => {
  const regions = ['us-east', 'eu-west', 'ap-south'];

  it('steps the named clocks together and smooths them again, recording what it did', async () => {
    const clocks = new FakeClocks();
    const fault = new ClockTieFault(clocks, regions);
    const on = await fault.invoke(op('clock-tie', { regions: ['eu-west', 'us-east'], tickMs: 50 }));
    assert.equal(on.tookEffect, true);
    assert.match(String(on.value), /eu-west, us-east step together every 50 ms/);
    assert.deepEqual([...clocks.ticks], [['eu-west', 50], ['us-east', 50]]);
    const off = await fault.invoke(op('clear-clock-tie', null));
    assert.equal(off.tookEffect, true);
    assert.deepEqual([...clocks.ticks], [['eu-west', null], ['us-east', null]]);
  });

  it('uses the default tick, and teardown smooths whatever is still stepped', async () => {
    const clocks = new FakeClocks();
    const fault = new ClockTieFault(clocks, regions);
    await fault.invoke(op('clock-tie', { regions: ['eu-west', 'ap-south'] }));
    assert.equal(clocks.ticks.get('ap-south'), 100);
    await fault.teardown();
    assert.equal(clocks.ticks.get('ap-south'), null);
    assert.equal(clocks.ticks.get('eu-west'), null);
  });

  it('refuses bad values without touching any clock, and reports a refused hook as not taking effect', async () => {
    const clocks = new FakeClocks();
    const fault = new ClockTieFault(clocks, regions);
    for (const value of [null, { regions: ['us-east'] }, { regions: ['us-east', 'mars'] }, { regions: ['us-east', 'us-east'] }, { regions: ['us-east', 'eu-west'], tickMs: 0 }]) {
      const r = await fault.invoke(op('clock-tie', value));
      assert.equal(r.tookEffect, false, JSON.stringify(value));
      assert.match(String(r.error), /value must be/);
    }
    assert.equal(clocks.ticks.size, 0);
    clocks.failFor = 'eu-west';
    const r = await fault.invoke(op('clock-tie', { regions: ['us-east', 'eu-west'] }));
    assert.equal(r.tookEffect, false);
    assert.match(String(r.error), /refused/);
  });
});
