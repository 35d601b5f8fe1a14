import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

describe('layer node lifecycle', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west']);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('logs one listening line and stops cleanly on SIGTERM (exit 0), keeping its data', async () => {
    const a = cluster.nodes[0];
    assert.equal(a.output.split('\n').filter((l) => l.includes('"msg":"listening"')).length, 1);
    assert.equal((await http(a.url, 'PUT', '/v1/kv/kept', { value: 42 })).status, 200);
    const t = Date.now();
    assert.equal(await a.kill('SIGTERM'), 0, a.output.slice(-2000));
    assert.ok(Date.now() - t < 10_000);
    await a.start();
    assert.equal((await http(a.url, 'GET', '/v1/kv/kept')).body.value, 42);
    await eventually(async () => (await http(cluster.nodes[1].url, 'GET', '/v1/kv/kept')).body.value === 42, 10_000, 'replicated');
  });
});

describe('layer node without its Redis', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start(['us-east']);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('answers reads with 503, reports unhealthy, and recovers when Redis is back', async () => {
    const a = cluster.nodes[0];
    assert.equal((await http(a.url, 'PUT', '/v1/kv/r', { value: 1 })).status, 200);
    await a.redis.kill();
    const r = await http(a.url, 'GET', '/v1/kv/r');
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.error, 'unavailable');
    await eventually(async () => (await http(a.url, 'GET', '/health')).status === 503, 10_000, 'unhealthy');
    const w = await http(a.url, 'PUT', '/v1/kv/r', { value: 2 });
    assert.ok(w.status >= 500, 'a write without Redis is not acknowledged');
    await a.redis.restart();
    await eventually(async () => (await http(a.url, 'GET', '/v1/kv/r')).status === 200, 15_000, 'serving again');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/r', { value: 3 })).status, 200);
    assert.equal((await http(a.url, 'GET', '/v1/kv/r')).body.value, 3);
  });
});
