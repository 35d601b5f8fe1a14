import { strict as assert } from 'node:assert';
import { deadline } from '../../../harness/core/deadline.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('harness/core/deadline', () => {
  it('aborts with a TimeoutError once the time is up', async () => {
    const d = deadline(undefined, 20);
    assert.equal(d.signal.aborted, false);
    await sleep(60);
    assert.equal(d.signal.aborted, true);
    assert.equal((d.signal.reason as DOMException).name, 'TimeoutError');
    d.release();
  });

  it('aborts with the parent\'s reason when the parent aborts first, also when it already has', () => {
    const parent = new AbortController();
    const d = deadline(parent.signal, 60_000);
    parent.abort(new Error('stop'));
    assert.equal((d.signal.reason as Error).message, 'stop');
    d.release();
    const early = deadline(parent.signal, 60_000);
    assert.equal(early.signal.aborted, true);
    early.release();
  });

  it('once released, neither the timer nor the parent aborts it', async () => {
    const parent = new AbortController();
    const d = deadline(parent.signal, 20);
    d.release();
    await sleep(60);
    parent.abort();
    assert.equal(d.signal.aborted, false);
  });
});
