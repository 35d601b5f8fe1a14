import { strict as assert } from 'node:assert';
import { Cluster, http } from '../support/layer-process.ts';

const ADMIN = { 'x-rift-admin': 'test-admin' };

/**
 * The session-wait switches break exactly the wait they name (the correct node refuses with 503 instead), the
 * OR-set reply names the dots an operation made and covered, and the clock-tie hook steps the node's clock.
 */
describe('session waits, OR-set reply metadata and the clock tick hook', function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  /** A session that wrote in us-east, then turns to eu-west while eu-west cannot receive that write. */
  async function cutOffSession(bugs: string[]): Promise<{ b: string; session: string }> {
    cluster = await Cluster.start(['us-east', 'eu-west'], { proxied: true, bugs: bugs as never });
    const [a, b] = cluster.nodes;
    cluster.isolate('eu-west');
    const w = await http(a.url, 'PUT', '/v1/kv/sess/k', { value: 'mine' });
    assert.equal(w.status, 200);
    return { b: b.url, session: w.body.session };
  }

  it('correct: a region without what the session saw refuses its reads and writes', async () => {
    const { b, session } = await cutOffSession([]);
    const h = { 'x-rift-session': session };
    assert.equal((await http(b, 'GET', '/v1/kv/sess/k', undefined, h)).status, 503);
    assert.equal((await http(b, 'PUT', '/v1/kv/sess/k', { value: 'next' }, h)).status, 503);
  });

  it('session-read-no-wait: the read is served without the session\'s own write', async () => {
    const { b, session } = await cutOffSession(['session-read-no-wait']);
    const r = await http(b, 'GET', '/v1/kv/sess/k', undefined, { 'x-rift-session': session });
    assert.equal(r.status, 200);
    assert.equal(r.body.value, null);
  });

  it('session-write-no-wait: the write is taken without the session\'s earlier write', async () => {
    const { b, session } = await cutOffSession(['session-write-no-wait']);
    assert.equal((await http(b, 'PUT', '/v1/kv/sess/k', { value: 'next' }, { 'x-rift-session': session })).status, 200);
  });

  it('OR-set add and remove replies carry the dot made and the dots covered', async () => {
    cluster = await Cluster.start(['us-east']);
    const url = cluster.nodes[0].url;
    const first = await http(url, 'POST', '/v1/kv/set/meta/add', { element: 'x' });
    assert.deepEqual(first.body.orset, { dot: ['us-east', 1], covered: [] });
    const again = await http(url, 'POST', '/v1/kv/set/meta/add', { element: 'x' });
    assert.deepEqual(again.body.orset, { dot: ['us-east', 2], covered: [['us-east', 1]] });
    const removed = await http(url, 'POST', '/v1/kv/set/meta/remove', { element: 'x' });
    assert.deepEqual(removed.body.orset, { covered: [['us-east', 2]] });
    assert.equal((await http(url, 'PUT', '/v1/kv/plain', { value: 1 })).body.orset, undefined);
  });

  it('clock tick: versions carry wall times on the step until it is cleared; bad ticks are refused', async () => {
    cluster = await Cluster.start(['us-east']);
    const url = cluster.nodes[0].url;
    const set = await http(url, 'POST', '/admin/clock', { tickMs: 60_000 }, ADMIN);
    assert.deepEqual(set.body, { ok: true, offsetMs: 0, tickMs: 60_000 });
    const wall = (v: string) => Number(v.split('.')[0]);
    const w1 = await http(url, 'PUT', '/v1/kv/tick', { value: 1 });
    const w2 = await http(url, 'PUT', '/v1/kv/tick', { value: 2 });
    assert.equal(wall(w1.body.version) % 60_000, 0, w1.body.version);
    assert.ok(w2.body.version > w1.body.version);
    assert.equal((await http(url, 'POST', '/admin/clock', { tickMs: 0 }, ADMIN)).status, 400);
    assert.equal((await http(url, 'POST', '/admin/clock', { tickMs: 1000 })).status, 401);
    assert.deepEqual((await http(url, 'POST', '/admin/clock', { tickMs: null }, ADMIN)).body, { ok: true, offsetMs: 0, tickMs: null });
    assert.deepEqual((await http(url, 'GET', '/admin/clock', undefined, ADMIN)).body, { ok: true, offsetMs: 0, tickMs: null });
  });
});
