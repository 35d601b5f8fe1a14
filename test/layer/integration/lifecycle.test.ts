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
