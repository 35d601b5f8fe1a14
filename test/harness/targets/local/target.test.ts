import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createConnection, createServer, type Server } from 'node:net';
import { LocalTarget } from '../../../../harness/targets/local/target.ts';
import { processAlive } from '../../../../harness/process/spawn.ts';
import { peerLink } from '../../../../harness/core/target.ts';
import { cutLinks, isolate } from '../../../../harness/net/grudge.ts';

const FAKE_NODE = fileURLToPath(new URL('./fixtures/fake-node.ts', import.meta.url));

async function http(ep: { host: string; port: number }, method: string, path: string, body?: unknown, timeoutMs = 1500): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://${ep.host}:${ep.port}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The first reply line of one command sent on a fresh connection, with no AUTH. */
function rawRedisReply(host: string, port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host, port });
    let reply = '';
    s.setTimeout(2000, () => s.destroy(new Error('no reply from Redis')));
    s.once('connect', () => s.write(`${command}\r\n`));
    s.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        s.destroy();
        resolve(reply.split('\r\n')[0]);
      }
    });
    s.once('error', reject);
  });
}

async function eventually(what: string, cond: () => Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('targets/local with a fake node (real redis-server and Toxiproxy)', function () {
  this.timeout(120_000);
  let root: string;
  let target: LocalTarget;
  const regions = ['us-east', 'eu-west', 'ap-south'];
  const read = async (region: string, key: string) => (await http(target.clientEndpoint(region), 'GET', `/v1/kv/${key}`)).json.value;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'rift-local-'));
    target = new LocalTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions, bugs: ['wall-clock-lww'], nodeEntry: FAKE_NODE, seed: 7 });
    await target.setup();
  });
  after(async () => {
    const pids = target?.processGroups().map((g) => g.pid) ?? [];
    await target?.teardown();
    for (const pid of pids) assert.equal(processAlive(pid), false, `pid ${pid} survived teardown`);
    rmSync(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    await target.network.healAll();
  });

  it('starts every region behind its client proxy, and nodes know peers only through proxies', async () => {
    assert.equal(target.processGroups().length, 1 + 2 * regions.length);
    for (const r of regions) {
      const ep = target.clientEndpoint(r);
      assert.notEqual(ep.port, target.nodeEndpoint(r).port);
      const h = await http(ep, 'GET', '/health');
      assert.deepEqual([h.status, h.json.region, h.json.ok, h.json.bugs], [200, r, true, ['wall-clock-lww']]);
      const cfg = JSON.parse(readFileSync(join(root, `node-${r}.json`), 'utf8'));
      assert.equal(cfg.region, r);
      assert.deepEqual(cfg.regions, regions);
      for (const o of regions.filter((x) => x !== r)) assert.equal(cfg.peers[o], `http://127.0.0.1:${target.network.address(peerLink(r, o)).port}`);
      assert.equal(target.stateOf(r), 'up');
    }
    assert.equal(target.logFiles().length, 1 + 2 * regions.length);
  });

  it('a write through one client proxy reaches the other regions', async () => {
    assert.equal((await http(target.clientEndpoint('us-east'), 'PUT', '/v1/kv/a', { value: 1 })).status, 200);
    await eventually('eu-west and ap-south see a=1', async () => (await read('eu-west', 'a')) === 1 && (await read('ap-south', 'a')) === 1);
  });

  for (const mode of ['black-hole', 'clean'] as const) {
    it(`an isolated region (${mode}) misses writes and catches up after heal`, async () => {
      const key = `p-${mode}`;
      await target.network.cut(cutLinks(isolate(regions, 'ap-south')), mode);
      await http(target.clientEndpoint('us-east'), 'PUT', `/v1/kv/${key}`, { value: 'x' });
      await eventually('eu-west sees the write', async () => (await read('eu-west', key)) === 'x');
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(await read('ap-south', key), null, 'replication must not reach the isolated region');
      await target.network.heal();
      await eventually('ap-south catches up after heal', async () => (await read('ap-south', key)) === 'x');
    });
  }

  it('kill stops node and Redis together; restart brings both back with Redis data intact', async () => {
    const redis = new Redis({ ...target.redisEndpoint('eu-west'), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await redis.connect();
    await redis.set('durable', 'yes');
    redis.disconnect();
    const before = target.processGroups().filter((g) => g.name.endsWith('eu-west')).map((g) => g.pid);
    assert.equal(before.length, 2);
    await target.kill('eu-west');
    assert.equal(target.stateOf('eu-west'), 'killed');
    for (const pid of before) assert.equal(processAlive(pid), false);
    await assert.rejects(http(target.nodeEndpoint('eu-west'), 'GET', '/health'));
    await assert.rejects(target.kill('eu-west'), /already killed/);
    await target.restart('eu-west');
    assert.equal((await http(target.clientEndpoint('eu-west'), 'GET', '/health')).json.ok, true);
    const again = new Redis({ ...target.redisEndpoint('eu-west'), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await again.connect();
    try {
      assert.equal(await again.get('durable'), 'yes');
    } finally {
      again.disconnect();
    }
  });

  it('a restart whose ports were taken meanwhile moves the region; clients keep the same proxy address', async () => {
    const client = target.clientEndpoint('ap-south');
    const oldNode = target.nodeEndpoint('ap-south').port;
    const oldRedis = target.redisEndpoint('ap-south').port;
    await target.kill('ap-south');
    const squatters = await Promise.all([oldNode, oldRedis].map((port) => new Promise<Server>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => resolve(srv));
    })));
    try {
      await target.restart('ap-south');
    } finally {
      for (const srv of squatters) srv.close();
    }
    assert.notEqual(target.nodeEndpoint('ap-south').port, oldNode);
    assert.notEqual(target.redisEndpoint('ap-south').port, oldRedis);
    assert.deepEqual(target.clientEndpoint('ap-south'), client);
    assert.equal((await http(client, 'GET', '/health')).json.region, 'ap-south');
    assert.equal(JSON.parse(readFileSync(join(root, 'node-ap-south.json'), 'utf8')).redis.port, target.redisEndpoint('ap-south').port);
    await http(target.clientEndpoint('us-east'), 'PUT', '/v1/kv/moved', { value: 'here' });
    await eventually('peers reach the moved region through their proxies', async () => (await read('ap-south', 'moved')) === 'here');
  });

  it('keeps secrets to this user (config files 0600) and runs Redis on loopback refusing clients without the password', async () => {
    for (const r of regions) {
      // node-ap-south.json was rewritten when the region moved ports, so this also covers a rewrite.
      for (const f of [`node-${r}.json`, `redis-${r}.conf`]) assert.equal(statSync(join(root, f)).mode & 0o777, 0o600, f);
      const { host, port, password } = target.redisEndpoint(r);
      assert.equal(JSON.parse(readFileSync(join(root, `node-${r}.json`), 'utf8')).redis.password, password);
      assert.match(await rawRedisReply(host, port, 'GET durable'), /^-NOAUTH/);
      const authed = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await authed.connect();
        assert.deepEqual(await authed.config('GET', 'bind'), ['bind', '127.0.0.1']);
      } finally {
        authed.disconnect();
      }
    }
  });

  it('pause freezes a region (requests hang) and resume thaws it', async () => {
    await target.pause('us-east');
    try {
      await assert.rejects(http(target.nodeEndpoint('us-east'), 'GET', '/health', undefined, 500), /timeout|aborted/i);
      await assert.rejects(target.pause('us-east'), /only a running region/);
    } finally {
      await target.resume('us-east');
    }
    assert.equal((await http(target.nodeEndpoint('us-east'), 'GET', '/health')).json.ok, true);
  });

  it('sets a clock offset through the admin hook, even when clients are cut off', async () => {
    await target.network.cut(['client:ap-south'], 'clean');
    await target.setClockOffset('ap-south', -2500);
    assert.equal((await http(target.nodeEndpoint('ap-south'), 'GET', '/health')).json.clockOffsetMs, -2500);
    await assert.rejects(target.setClockOffset('mars', 1), /unknown region "mars"/);
  });
});

describe('targets/local setup failures', function () {
  this.timeout(60_000);
  it('a node that never becomes ready fails setup with its log tail and leaves nothing running', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rift-local-bad-'));
    const target = new LocalTarget({
      dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions: ['solo'],
      nodeEntry: fileURLToPath(new URL('./fixtures/broken-node.ts', import.meta.url)), readyTimeoutMs: 5000,
    });
    try {
      await assert.rejects(target.setup(), /node solo did not become ready .*process exited \(code 2[\s\S]*broken node: refusing to start/);
      assert.deepEqual(target.processGroups(), []);
    } finally {
      await target.teardown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects bad region names', () => {
    assert.throws(() => new LocalTarget({ dir: { root: '/x', logs: '/x', data: '/x' }, regions: ['US East'] }), /region name "US East"/);
    assert.throws(() => new LocalTarget({ dir: { root: '/x', logs: '/x', data: '/x' }, regions: ['a', 'a'] }), /regions repeat/);
  });
});
