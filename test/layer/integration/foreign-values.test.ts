import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { Cluster, eventually, http } from '../support/layer-process.ts';

function metric(text: string, series: string): number {
  const m = new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Data written into a region's Redis past the layer is reported for its key only, and never breaks /digest. */
describe('layer: foreign values in Redis (real redis-servers and nodes)', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let redis: Redis;
  // eu-west sorts first, so it is the transaction home of every key.
  const home = () => cluster.node('eu-west');
  const other = () => cluster.node('us-east');
  const FOREIGN = {
    'foreign/not-json': ['hset', 'not json at all'],
    'foreign/wrong-shape': ['hset', JSON.stringify({ strategy: 'lww', state: { nope: 1 } })],
    'foreign/unknown-strategy': ['hset', JSON.stringify({ strategy: 'mine', state: 1, vclock: {}, version: {} })],
    'foreign/string': ['set', 'a plain string where the layer keeps a hash'],
  } as const;

  before(async () => {
    cluster = await Cluster.start(['eu-west', 'us-east']);
    redis = home().redis.client();
    assert.equal((await http(home().url, 'PUT', '/v1/kv/fine', { value: 1 })).status, 200);
    for (const [key, [how, data]] of Object.entries(FOREIGN)) {
      if (how === 'set') await redis.set(`rift:kv:${key}`, data);
      else await redis.hset(`rift:kv:${key}`, 's', data);
    }
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.dispose();
  });

  it('reads and writes of such a key answer 500 corrupt naming the key, and change nothing', async () => {
    for (const key of Object.keys(FOREIGN)) {
      for (const [method, body] of [['GET', undefined], ['PUT', { value: 2 }]] as const) {
        const r = await http(home().url, method, `/v1/kv/${key}`, body);
        assert.equal(r.status, 500, `${method} ${key}: ${r.text}`);
        assert.equal(r.body.error, 'corrupt');
        assert.ok(r.body.message.includes(JSON.stringify(key)), r.body.message);
      }
    }
    assert.equal(await redis.get('rift:kv:foreign/string'), FOREIGN['foreign/string'][1]);
    const txn = await http(home().url, 'POST', '/v1/txn', { ops: [['w', 'tx/ok', 1], ['r', 'foreign/string', null]] });
    assert.equal(txn.status, 500, txn.text);
    assert.equal(txn.body.error, 'corrupt');
    assert.match(txn.body.message, /^key "foreign\/string" holds .*\(Redis holds a string where/);
    assert.equal((await http(home().url, 'GET', '/v1/kv/tx/ok')).body.value, null);
    assert.equal(await redis.hget('rift:kv:foreign/not-json', 's'), FOREIGN['foreign/not-json'][1]);
    const metrics = (await http(home().url, 'GET', '/metrics')).text;
    assert.ok(metric(metrics, 'rift_corrupt_values_total{where="request"}') >= 9);
  });

  it('every other key is served as before', async () => {
    assert.equal((await http(home().url, 'GET', '/v1/kv/fine')).body.value, 1);
    assert.equal((await http(home().url, 'PUT', '/v1/kv/fine2', { value: 'ok' })).status, 200);
  });

  it('/digest answers, lists the foreign keys, and agrees with a region without them', async () => {
    await eventually(async () => (await http(other().url, 'GET', '/v1/kv/fine2')).body.value === 'ok', 10_000, 'replication of fine2');
    const [d, o] = await Promise.all([http(home().url, 'GET', '/digest'), http(other().url, 'GET', '/digest')]);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.body.corrupt, { count: 4, keys: Object.keys(FOREIGN).sort() });
    assert.deepEqual(o.body.corrupt, { count: 0, keys: [] });
    assert.equal(d.body.digest, o.body.digest);
    assert.equal(d.body.keys, o.body.keys);
    assert.equal(metric((await http(home().url, 'GET', '/metrics')).text, 'rift_corrupt_keys'), 4);
  });

  it('a replicated write of such a key replaces the foreign data (reported), and replication goes on', async () => {
    assert.equal((await http(other().url, 'PUT', '/v1/kv/foreign/not-json', { value: 'repaired' })).status, 200);
    assert.equal((await http(other().url, 'PUT', '/v1/kv/after-repair', { value: 'next' })).status, 200);
    await eventually(async () => (await http(home().url, 'GET', '/v1/kv/after-repair')).body.value === 'next', 10_000, 'replication past the foreign key');
    assert.equal((await http(home().url, 'GET', '/v1/kv/foreign/not-json')).body.value, 'repaired');
    assert.ok(metric((await http(home().url, 'GET', '/metrics')).text, 'rift_corrupt_values_total{where="replication"}') >= 1);
  });
});
