import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

const ADMIN = { 'x-rift-admin': 'test-admin' };

describe('layer degraded mode follows the quorum view', function () {
  this.timeout(90_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south']);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster.nodes) console.log(`--- ${n.region}\n${n.output.slice(-2000)}`);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('enters degraded mode below quorum, marks eventual writes, refuses critical writes, and reconciles on heal', async () => {
    const [a, b, c] = cluster.nodes;
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.quorum === true, 10_000, 'initial quorum');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/critical/k', { value: 1 })).status, 200);

    // Losing one of three regions keeps a majority.
    await c.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    const one = await http(a.url, 'GET', '/health');
    assert.equal(one.body.degraded, false, JSON.stringify(one.body));
    assert.equal(one.body.peers['ap-south'].up, false);

    await b.kill();
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.degraded === true, 5_000, 'degraded');
    assert.match((await http(a.url, 'GET', '/metrics')).text, /^rift_degraded 1$/m);

    const crit = await http(a.url, 'PUT', '/v1/kv/critical/k', { value: 2 });
    assert.equal(crit.status, 503);
    assert.equal(crit.body.error, 'degraded');
    assert.match(crit.body.message, /quorum/);

    const w = await http(a.url, 'PUT', '/v1/kv/during-partition', { value: 'x' });
    assert.equal(w.status, 200);
    assert.equal(w.body.conflictMarker, true);
    const r = await http(a.url, 'GET', '/v1/kv/during-partition');
    assert.equal(r.body.conflict, true);
    const listed = await http(a.url, 'GET', '/admin/conflicts', undefined, ADMIN);
    assert.deepEqual(listed.body.markers.map((m: { key: string }) => m.key), ['during-partition']);
    assert.match((await http(a.url, 'GET', '/metrics')).text, /^rift_conflict_markers 1$/m);

    await b.start();
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.degraded === false, 10_000, 'quorum back');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/critical/k', { value: 3 })).status, 200);
    // ap-south has not received the marked write yet, so the marker stays.
    assert.equal((await http(a.url, 'GET', '/admin/conflicts', undefined, ADMIN)).body.markers.length, 1);

    await c.start();
    await eventually(async () => (await http(a.url, 'GET', '/admin/conflicts', undefined, ADMIN)).body.markers.length === 0, 15_000, 'markers reconciled');
    assert.equal((await http(a.url, 'GET', '/admin/conflicts', undefined, ADMIN)).body.reconciled, 1);
    assert.equal((await http(c.url, 'GET', '/v1/kv/during-partition')).body.value, 'x');
    assert.equal((await http(a.url, 'GET', '/v1/kv/during-partition')).body.conflict, undefined);
    assert.equal((await http(c.url, 'GET', '/v1/kv/critical/k')).body.value, 3);
  });

  it('admin endpoints need the token', async () => {
    const r = await http(cluster.nodes[0].url, 'POST', '/admin/clock', { offsetMs: 5 });
    assert.equal(r.status, 401);
    const ok = await http(cluster.nodes[0].url, 'POST', '/admin/clock', { offsetMs: 5 }, ADMIN);
    assert.deepEqual(ok.body, { ok: true, offsetMs: 5, tickMs: null });
  });
});
