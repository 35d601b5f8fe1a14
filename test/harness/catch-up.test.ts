import { strict as assert } from 'node:assert';
import { catchUp } from '../../harness/catch-up.ts';
import type { GenContext, Generator } from '../../harness/core/generator.ts';
import type { Op } from '../../harness/core/op.ts';

const ctx = (time: number, free: number[] = [0, 1, 2]): GenContext => ({
  time, freeProcesses: free, busyProcesses: [], regionOf: (p) => ['a', 'b'][p % 2], random: () => 0.5,
});

/** Asks the generator for ops at `time`, answering each with `answer(region)` as the interpreter would. */
function round(g: Generator, time: number, answer: (region: string) => Op['value'] | undefined): { g: Generator; asked: string[]; done: boolean } {
  const asked: string[] = [];
  for (;;) {
    const r = g.op(ctx(time));
    if (r === undefined) return { g, asked, done: true };
    if ('pending' in r) return { g: r.next, asked, done: false };
    const op = r.op;
    asked.push(op.region!);
    const v = answer(op.region!);
    g = r.next.update!(ctx(time), { ...op, type: v === undefined ? 'info' : 'ok', value: v ?? null, time } as Op);
  }
}

describe('harness/catch-up', () => {
  it('reads every region\'s digest until every region applied every write, then ends', () => {
    let g = catchUp({ regions: ['a', 'b'], timeoutMs: 10_000, intervalMs: 100 });
    let b = 1;
    let r = round(g, 0, (region) => ({ digest: 'x', applied: region === 'a' ? { a: 3 } : { a: b } }));
    assert.deepEqual(r.asked, ['a', 'b']);
    assert.equal(r.done, false);
    b = 3;
    r = round(r.g, 50e6, () => ({ digest: 'x', applied: { a: 3 } }));
    assert.deepEqual(r.asked, [], 'waits the interval before asking a region again');
    r = round(r.g, 200e6, (region) => ({ digest: 'x', applied: region === 'a' ? { a: 3 } : { a: b } }));
    assert.deepEqual(r.asked, ['a', 'b']);
    assert.equal(r.g.op(ctx(200e6)), undefined, 'caught up: the phase is over');
  });

  it('gives up after the timeout, with the region still behind', () => {
    const g = catchUp({ regions: ['a', 'b'], timeoutMs: 1000, intervalMs: 100 });
    const r = round(g, 0, (region) => (region === 'a' ? { digest: 'x', applied: { a: 3 } } : undefined));
    assert.equal(r.done, false);
    assert.equal(r.g.op(ctx(1000e6)), undefined);
  });
});
