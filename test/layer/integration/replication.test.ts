import { strict as assert } from 'node:assert';
import { Cluster, eventually, http, signedHeaders } from '../support/layer-process.ts';
import type { RedisProcess } from '../support/redis-process.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];

describe('layer replication (3 real redis-servers and nodes)', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start(REGIONS);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('a write in one region is read in the others', async () => {
    const [a, b, c] = cluster.nodes;
    const put = await http(a.url, 'PUT', '/v1/kv/greeting', { value: { hello: 'world' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.ok, true);
    assert.match(put.body.version, /us-east!/);
    assert.deepEqual(put.body.dot[0], 'us-east');
    for (const n of [b, c]) {
      await eventually(async () => (await http(n.url, 'GET', '/v1/kv/greeting')).body.value?.hello === 'world', 10_000, `${n.region} to see the write`);
    }
    const got = await http(b.url, 'GET', '/v1/kv/greeting');
    assert.equal(got.body.version, put.body.version);
  });

  it('converges: digests agree once replication has caught up', async () => {
    for (let i = 0; i < 20; i++) {
      const n = cluster.nodes[i % 3];
      assert.equal((await http(n.url, 'PUT', `/v1/kv/k${i % 5}`, { value: i })).status, 200);
    }
    await eventually(async () => {
      const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
      return new Set(ds.map((d) => d.body.digest)).size === 1 && ds.every((d) => d.body.keys >= 5);
    }, 15_000, 'digests to agree');
    const d = await http(cluster.nodes[0].url, 'GET', '/digest');
    assert.equal(d.body.region, 'us-east');
    assert.ok(d.body.applied['us-east'] >= 1);
  });

  it('a redelivered batch is a no-op', async () => {
    const [a, b] = cluster.nodes;
    const put = await http(a.url, 'PUT', '/v1/kv/redeliver', { value: 'first' });
    await eventually(async () => (await http(b.url, 'GET', '/v1/kv/redeliver')).body.value === 'first');
    const seq: number = (await http(a.url, 'GET', '/digest')).body.applied['us-east'];
    // Rebuild the exact entry A shipped for that write, then overwrite the key in B and resend the old entry.
    const stored = await storedOf(a.redis, 'redeliver');
    assert.ok(put.body.dot);
    const second = await http(b.url, 'PUT', '/v1/kv/redeliver', { value: 'second' });
    assert.equal(second.status, 200);
    const before = await http(b.url, 'GET', '/digest');
    const changesBefore = await fieldOf(b.redis, 'redeliver', 'n');
    const metricsBefore = appliedCount((await http(b.url, 'GET', '/metrics')).text);
    const batch = JSON.stringify({ origin: 'us-east', entries: [{ seq, ts: Date.now(), items: [{ key: 'redeliver', stored }] }] });
    for (let i = 0; i < 3; i++) {
      const res = await http(b.url, 'POST', '/internal/replicate', batch, signedHeaders('POST', '/internal/replicate', batch));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.applied, before.body.applied['us-east']);
    }
    const after = await http(b.url, 'GET', '/digest');
    // Nothing was written: the key's change counter did not move and no entry was counted as applied.
    assert.equal(await fieldOf(b.redis, 'redeliver', 'n'), changesBefore);
    assert.equal(appliedCount((await http(b.url, 'GET', '/metrics')).text), metricsBefore);
    assert.deepEqual(after.body.applied, before.body.applied);
    assert.equal(after.body.digest, before.body.digest);
    assert.equal((await http(b.url, 'GET', '/v1/kv/redeliver')).body.value, 'second');
  });

  it('exports lag per peer, conflicts by strategy, resolution and write latency, degraded mode', async () => {
    const [a, b] = cluster.nodes;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => Promise.all([http(a.url, 'PUT', `/v1/kv/race${i}`, { value: 'a' }), http(b.url, 'PUT', `/v1/kv/race${i}`, { value: 'b' })])),
    );
    await eventually(async () => /^rift_conflicts_total\{strategy="lww"\} [1-9]/m.test((await http(a.url, 'GET', '/metrics')).text + (await http(b.url, 'GET', '/metrics')).text), 10_000, 'a detected conflict');
    const text = (await http(a.url, 'GET', '/metrics')).text;
    for (const peer of ['eu-west', 'ap-south']) {
      assert.match(text, new RegExp(`^rift_replication_lag_entries\\{peer="${peer}"\\} \\d+$`, 'm'));
      assert.match(text, new RegExp(`^rift_replication_lag_seconds\\{peer="${peer}"\\} [\\d.e-]+$`, 'm'));
    }
    assert.match(text, /^rift_resolution_latency_seconds_count [1-9]/m);
    assert.match(text, /^rift_write_latency_seconds_count [1-9]/m);
    assert.match(text, /^rift_degraded 0$/m);
  });

  it('answers a batch its target says was applied already without decoding it, and refuses a target the body contradicts', async () => {
    const [a, b] = cluster.nodes;
    await http(a.url, 'PUT', '/v1/kv/claimed', { value: 'c' });
    await eventually(async () => (await http(b.url, 'GET', '/v1/kv/claimed')).body.value === 'c');
    const applied: number = (await http(b.url, 'GET', '/digest')).body.applied['us-east'];
    // Signed, but not JSON: only a receiver that never decodes it can answer 200.
    const junk = 'not a batch';
    const stale = `/internal/replicate?origin=us-east&last=${applied}`;
    const skipped = await http(b.url, 'POST', stale, junk, signedHeaders('POST', stale, junk));
    assert.equal(skipped.status, 200, skipped.text);
    assert.equal(skipped.body.applied, applied);
    const ahead = `/internal/replicate?origin=us-east&last=${applied + 1}`;
    assert.equal((await http(b.url, 'POST', ahead, junk, signedHeaders('POST', ahead, junk))).status, 400, 'a batch with new entries is decoded');
    const stored = await storedOf(a.redis, 'claimed');
    const batch = JSON.stringify({ origin: 'us-east', after: applied, entries: [{ seq: applied + 2, ts: Date.now(), items: [{ key: 'claimed-x', stored }] }] });
    const lying = await http(b.url, 'POST', ahead, batch, signedHeaders('POST', ahead, batch));
    assert.equal(lying.status, 400);
    assert.match(lying.body.message, /differ from the request target/);
    assert.equal((await http(b.url, 'GET', '/v1/kv/claimed-x')).body.value, null, 'nothing of it was applied');
  });

  it('refuses a batch that would leave a gap, applying none of it', async () => {
    const [a, , c] = cluster.nodes;
    await http(a.url, 'PUT', '/v1/kv/gap-src', { value: 'g' });
    const stored = await storedOf(a.redis, 'gap-src');
    const applied: number = (await http(c.url, 'GET', '/digest')).body.applied['us-east'];
    const batch = JSON.stringify({ origin: 'us-east', after: applied + 5, entries: [{ seq: applied + 6, ts: Date.now(), items: [{ key: 'gap-dst', stored }] }] });
    const res = await http(c.url, 'POST', '/internal/replicate', batch, signedHeaders('POST', '/internal/replicate', batch));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.gap, true);
    assert.ok(res.body.applied >= applied && res.body.applied < applied + 5, `applied ${res.body.applied}`);
    assert.equal((await http(c.url, 'GET', '/v1/kv/gap-dst')).body.value, null);
  });

  it('refuses replication without a valid signature', async () => {
    const batch = JSON.stringify({ origin: 'us-east', entries: [] });
    const res = await http(cluster.nodes[1].url, 'POST', '/internal/replicate', batch, { ...signedHeaders('POST', '/internal/replicate', batch), 'x-rift-signature': 'f'.repeat(64) });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'bad-signature');
  });
});

async function fieldOf(redis: RedisProcess, key: string, field: string): Promise<string | null> {
  const r = redis.client();
  try {
    return await r.hget(`rift:kv:${key}`, field);
  } finally {
    r.disconnect();
  }
}

async function storedOf(redis: RedisProcess, key: string): Promise<unknown> {
  return JSON.parse((await fieldOf(redis, key, 's')) as string);
}

function appliedCount(metrics: string): number {
  const m = /^rift_replicated_entries_applied_total\{origin="us-east"\} (\d+)$/m.exec(metrics);
  assert.ok(m, 'applied counter for us-east is exported');
  return Number(m[1]);
}

describe('layer replication: copies of a batch (2 real redis-servers, the origin stopped)', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west']);
    // Only this test's batches reach eu-west: us-east's own shipper is gone.
    await cluster.node('us-east').kill();
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('a copy that arrives while its batch is being applied waits for it and is answered without being decoded', async () => {
    const b = cluster.node('eu-west');
    const version = { hlc: { wall: Date.now(), logical: 0 }, region: 'us-east', seq: 1 };
    const stored = {
      strategy: 'lww',
      state: { value: 'copied', deleted: false, version, clock: { 'us-east': 1 }, seen: { 'us-east': 1 } },
      vclock: { 'us-east': 1 },
      version,
    };
    const target = '/internal/replicate?origin=us-east&last=1';
    const batch = JSON.stringify({ origin: 'us-east', after: 0, entries: [{ seq: 1, ts: Date.now(), items: [{ key: 'copied', stored }] }] });
    const armed = await http(b.url, 'POST', '/admin/failpoints', { name: 'replicate-before-apply', action: 'pause', ms: 500 }, { 'x-rift-admin': 'test-admin' });
    assert.equal(armed.status, 200, armed.text);
    const first = http(b.url, 'POST', target, batch, signedHeaders('POST', target, batch));
    await new Promise((r) => setTimeout(r, 150));
    // Signed for the same target, but not JSON: decoding it would answer 400.
    const junk = 'not a batch';
    const copy = await http(b.url, 'POST', target, junk, signedHeaders('POST', target, junk));
    assert.equal((await first).status, 200);
    assert.equal(copy.status, 200, copy.text);
    assert.equal(copy.body.applied, 1);
    assert.equal((await http(b.url, 'GET', '/v1/kv/copied')).body.value, 'copied');
  });
});
