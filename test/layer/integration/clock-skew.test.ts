import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

const ADMIN = { 'x-rift-admin': 'test-admin' };

describe('layer under clock skew', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { extra: { maxClockDriftMs: 10_000 } });
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('refuses state from a region whose clock is too far ahead, holding it back until the clocks agree', async () => {
    const [a, b] = cluster.nodes;
    await http(a.url, 'POST', '/admin/clock', { offsetMs: 60_000 }, ADMIN);
    assert.equal((await http(a.url, 'PUT', '/v1/kv/future', { value: 'from the future' })).status, 200);
    await eventually(async () => /^rift_replication_lag_entries\{peer="eu-west"\} [1-9]/m.test((await http(a.url, 'GET', '/metrics')).text), 5_000, 'lag');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal((await http(b.url, 'GET', '/v1/kv/future')).body.value, null, 'not adopted');
    // Once eu-west's clock is within the allowed drift, the held-back write is delivered.
    await http(b.url, 'POST', '/admin/clock', { offsetMs: 55_000 }, ADMIN);
    await eventually(async () => (await http(b.url, 'GET', '/v1/kv/future')).body.value === 'from the future', 10_000, 'delivered');
    await eventually(async () => /^rift_replication_lag_entries\{peer="eu-west"\} 0$/m.test((await http(a.url, 'GET', '/metrics')).text), 5_000, 'lag back to 0');
  });
});
