import { strict as assert } from 'node:assert';
import { Cluster, eventually, http, type LayerProcess } from '../support/layer-process.ts';

const ADMIN = { 'x-rift-admin': 'test-admin' };
const arm = (n: LayerProcess, spec: Record<string, unknown>) => http(n.url, 'POST', '/admin/failpoints', spec, ADMIN);
const disarm = async (n: LayerProcess) => (await http(n.url, 'DELETE', '/admin/failpoints', undefined, ADMIN)).body.fired as Record<string, number>;

/**
 * Failpoints against real nodes and Redis: armed through the admin API, they crash, pause or drop at the named
 * step, and the layer's guarantees still hold around them. Regions sort as ap-south, eu-west, us-east: a proposer
 * sends accepts in that order.
 */
describe('failpoints (integration)', function () {
  this.timeout(90_000);
  let cluster: Cluster;
  let [apSouth, euWest, usEast]: LayerProcess[] = [];

  before(async () => {
    cluster = await Cluster.start(['ap-south', 'eu-west', 'us-east'], { extra: { proposers: 'any' } });
    [apSouth, euWest, usEast] = cluster.nodes;
    await eventually(async () => (await http(usEast.url, 'GET', '/health')).body.quorum === true);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster.nodes) console.log(`--- ${n.region}\n${n.output.slice(-2000)}`);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('arming needs the admin token and a known point; nothing is armed by default', async () => {
    assert.equal((await http(usEast.url, 'POST', '/admin/failpoints', { name: 'paxos-before-promise', action: 'drop' })).status, 401);
    const bad = await arm(usEast, { name: 'no-such-point', action: 'drop' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /field "name" must be one of paxos-accept-sent/);
    assert.deepEqual((await http(usEast.url, 'GET', '/admin/failpoints', undefined, ADMIN)).body, { armed: [], fired: {} });
  });

  it('drop before a promise is persisted: that acceptor never answers, the write still wins a majority', async () => {
    assert.equal((await arm(euWest, { name: 'paxos-before-promise', action: 'drop', times: 1 })).status, 200);
    assert.equal((await http(usEast.url, 'PUT', '/v1/kv/critical/fp-drop', { value: 'a' })).status, 200);
    assert.deepEqual(await disarm(euWest), { 'paxos-before-promise': 1 });
    assert.equal((await http(euWest.url, 'GET', '/v1/kv/critical/fp-drop')).body.value, 'a');
  });

  it('pause before the proposer replies: the write is already decided, other regions read it while the writer waits', async () => {
    assert.equal((await arm(usEast, { name: 'paxos-proposer-reply', action: 'pause', ms: 8_000 })).status, 200);
    let answered = false;
    const put = http(usEast.url, 'PUT', '/v1/kv/critical/fp-pause', { value: 'p' }).then((r) => { answered = true; return r; });
    await eventually(async () => (await http(apSouth.url, 'GET', '/v1/kv/critical/fp-pause')).body.value === 'p', 7_500, 'read of the paused write');
    assert.equal(answered, false, 'the writer is still paused at the failpoint');
    assert.equal((await put).status, 200);
    assert.deepEqual(await disarm(usEast), { 'paxos-proposer-reply': 1 });
  });

  it('crash after sending accept to one acceptor: the node dies, the next proposer completes the value, and the node restarts', async () => {
    assert.equal((await arm(usEast, { name: 'paxos-accept-sent', action: 'crash', k: 1 })).status, 200);
    await assert.rejects(http(usEast.url, 'PUT', '/v1/kv/critical/fp-crash', { value: 'c' }));
    assert.ok(/"msg":"failpoint crash"/.test(usEast.output), 'the node logged its crash');
    await eventually(async () => !(await http(usEast.url, 'GET', '/health').then(() => true, () => false)), 5_000, 'us-east down');
    // Only ap-south took the accept; with us-east gone every majority includes it, so the value is recovered.
    assert.equal((await http(euWest.url, 'GET', '/v1/kv/critical/fp-crash')).body.value, 'c');
    await usEast.kill();
    await usEast.start();
    await eventually(async () => (await http(usEast.url, 'GET', '/health')).body.quorum === true);
    assert.equal((await http(usEast.url, 'GET', '/v1/kv/critical/fp-crash')).body.value, 'c');
    assert.deepEqual((await http(usEast.url, 'GET', '/admin/failpoints', undefined, ADMIN)).body.armed, [], 'a restart starts disarmed');
  });

  it('drop of replicated batches on arrival: the shipper resends them and the region catches up', async () => {
    assert.equal((await arm(euWest, { name: 'replicate-before-apply', action: 'drop', times: 3 })).status, 200);
    assert.equal((await http(usEast.url, 'PUT', '/v1/kv/fp-repl', { value: 'r' })).status, 200);
    await eventually(async () => (await http(euWest.url, 'GET', '/v1/kv/fp-repl')).body.value === 'r', 20_000, 'eu-west caught up');
    assert.equal((await disarm(euWest))['replicate-before-apply'], 3);
  });
});
