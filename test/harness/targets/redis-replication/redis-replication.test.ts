import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, Completion } from '../../../../harness/core/client.ts';
import type { Op } from '../../../../harness/core/op.ts';
import { peerLink } from '../../../../harness/core/target.ts';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { FailoverFault, failoverFault } from '../../../../harness/nemesis/faults/failover.ts';
import { createRedisReplicationTarget, type RedisReplicationTarget } from '../../../../harness/targets/redis-replication/index.ts';
import { redisClient } from '../../../../workloads/clients/redis.ts';
import { readTail } from '../../../../harness/process/wait.ts';

const REGIONS = ['east', 'west', 'south'];

/** The node's own port, as its INFO reports it (read through its client proxy, so it also proves the proxy leads there). */
async function nodePortOf(target: RedisReplicationTarget, region: string): Promise<number> {
  const ep = target.clientEndpoint(region);
  const r = new Redis({ host: ep.host, port: ep.port, commandTimeout: 3000, maxRetriesPerRequest: 0 });
  try {
    return Number(/tcp_port:(\d+)/.exec(await r.info('server'))![1]);
  } finally {
    r.disconnect();
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nem = (f: string, value: unknown): Op => ({ type: 'invoke', process: 'nemesis', f, value, time: 0 });

/** A fresh 3-node deployment per test: failovers change who is primary. */
describe('targets/redis-replication (real redis-server primary and replicas through Toxiproxy)', function () {
  this.timeout(60_000);
  let dir: string;
  let target: RedisReplicationTarget;
  let clients: Record<string, Client>;
  const call = (region: string, f: string, key: string, value: unknown): Promise<Completion> =>
    clients[region].invoke({ type: 'invoke', process: 0, f, key, value, time: 0 }, AbortSignal.timeout(2000));
  const until = async (what: string, cond: () => Promise<boolean>, ms = 15_000): Promise<void> => {
    for (const end = Date.now() + ms; Date.now() < end;) {
      if (await cond()) return;
      await sleep(100);
    }
    assert.fail(`${what}: not within ${ms} ms`);
  };
  const reads = async (region: string, key: string): Promise<unknown> => (await call(region, 'read', key, null)).value;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-redis-repl-'));
    const runDir = { root: dir, logs: join(dir, 'logs'), data: join(dir, 'data') };
    mkdirSync(runDir.logs);
    mkdirSync(runDir.data);
    target = createRedisReplicationTarget({ regions: REGIONS, dir: runDir });
    await target.setup();
    const factory = redisClient(Object.fromEntries(REGIONS.map((r) => [r, target.clientEndpoint(r)])), 2000);
    clients = Object.fromEntries(await Promise.all(REGIONS.map(async (r) => [r, await factory.open(r, 0)] as const)));
  });

  afterEach(async function () {
    // A failure on a loaded machine is hard to reproduce; the nodes' own account of it is kept in the output.
    if (this.currentTest?.state === 'failed') for (const f of target?.logFiles() ?? []) console.log(`--- ${f}\n${readTail(f, 40)}`);
    await Promise.all(Object.values(clients ?? {}).map((c) => c.close()));
    await target?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replicates from the primary through the peer-link proxies, and only the primary takes writes', async () => {
    assert.equal(target.primary(), 'east');
    assert.equal((await call('east', 'add', 's', 1)).type, 'ok');
    await until('both replicas have 1', async () => JSON.stringify([await reads('west', 's'), await reads('south', 's')]) === '[[1],[1]]');
    const refused = await call('west', 'add', 's', 9);
    assert.equal(refused.type, 'fail');
    assert.match(refused.error ?? '', /READONLY/);

    await target.network.cut([peerLink('west', 'east')], 'clean');
    assert.equal((await call('east', 'add', 's', 2)).type, 'ok');
    await until('south has 2', async () => JSON.stringify(await reads('south', 's')) === '[1,2]');
    assert.deepEqual(await reads('west', 's'), [1], 'west replicates only through its cut link');
    await target.network.heal();
    await until('west catches up after heal', async () => JSON.stringify(await reads('west', 's')) === '[1,2]');
    for (const f of target.logFiles()) assert.ok(existsSync(f), f);
  });

  it('a killed replica restarts from its data dir and catches up', async () => {
    await call('east', 'write', 'r', 'before');
    await until('south has it', async () => (await reads('south', 'r')) === 'before');
    await target.kill('south');
    assert.equal((await call('south', 'read', 'r', null)).type, 'fail');
    await call('east', 'write', 'r', 'during');
    await target.restart('south');
    assert.ok(await target.replicating('south', 10_000));
    await until('south catches up', async () => (await reads('south', 'r')) === 'during');
  });

  it('a node whose port was taken while it was down restarts on a new one behind the same proxies', async () => {
    await call('east', 'add', 'm', 1);
    const old = await nodePortOf(target, 'south');
    await target.kill('south');
    // The client proxy's address stays; the port it led to is squatted.
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(old, '127.0.0.1', () => r()));
    try {
      await target.restart('south');
      assert.ok(await target.replicating('south', 10_000));
      assert.notEqual(await nodePortOf(target, 'south'), old);
      await call('east', 'add', 'm', 2);
      await until('south serves through its proxy', async () => JSON.stringify(await reads('south', 'm')) === '[1,2]');
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('failover promotes a replica while the old primary keeps acknowledging; after heal its extra writes are gone', async () => {
    const f = failoverFault(target, REGIONS);
    await call('east', 'add', 'f', 1);
    // Replication is asynchronous: a replica that has not got 1 when cut off would lose it too, legitimately.
    await until('replicated', async () => JSON.stringify([await reads('west', 'f'), await reads('south', 'f')]) === '[[1],[1]]');

    const out = await f.invoke(nem('failover', { to: 'west' }));
    assert.equal(out.tookEffect, true, out.error);
    assert.equal(target.primary(), 'west');
    // The old primary still has its clients, and acknowledges a write nobody else will get.
    const lost = await call('east', 'add', 'f', 100);
    assert.equal(lost.type, 'ok');
    assert.equal((await call('west', 'add', 'f', 200)).type, 'ok');
    await until('south follows the new primary', async () => JSON.stringify(await reads('south', 'f')) === '[1,200]');
    const again = await f.invoke(nem('failover', null));
    assert.equal(again.tookEffect, false, 'a second failover before heal is refused');

    const healed = await f.invoke(nem('heal-failover', null));
    assert.equal(healed.tookEffect, true, healed.error);
    // How soon the link comes up depends on machine load; the outcome says which, the data below is what must hold.
    assert.match(String(healed.value), /east .*west/);
    assert.ok(await target.replicating('east', 20_000), 'east replicates from west');
    await until('east resynced from west', async () => JSON.stringify(await target.dump('east', 'f')) === '["1","200"]');
    assert.deepEqual(await target.dump('west', 'f'), ['1', '200']);
    assert.deepEqual(await target.dump('south', 'f'), ['1', '200']);
    const nowReplica = await call('east', 'add', 'f', 300);
    assert.equal(nowReplica.type, 'fail', 'the old primary is a replica now');
  });

  it('failover refuses bad targets and teardown undoes a failover in force', async () => {
    const f = new FailoverFault(target, target.network, REGIONS, 10_000);
    assert.equal((await f.invoke(nem('failover', { to: 'east' }))).tookEffect, false, 'cannot promote the primary');
    assert.equal((await f.invoke(nem('failover', { to: 'mars' }))).tookEffect, false);
    assert.equal((await f.invoke(nem('failover', 42))).tookEffect, false);
    assert.equal((await f.invoke(nem('heal-failover', null))).tookEffect, false, 'nothing to heal');
    assert.equal((await f.invoke(nem('failover', 'west'))).tookEffect, true);
    assert.equal(target.primary(), 'west');
    await f.teardown();
    assert.ok(await target.replicating('east', 1000), 'the old primary replicates again');
    assert.equal((await call('west', 'add', 't', 1)).type, 'ok');
    await until('east gets writes from west', async () => JSON.stringify(await reads('east', 't')) === '[1]');
  });

  it('an old primary killed during the failover restarts as a replica of the new one and loses its extra writes', async () => {
    // The old primary will be down at heal time, so waiting long for its link would only slow the test.
    const f = new FailoverFault(target, target.network, REGIONS, 500);
    assert.equal((await f.invoke(nem('failover', { to: 'south' }))).tookEffect, true);
    assert.equal((await call('east', 'write', 'k', 'orphan')).type, 'ok');
    await target.kill('east');
    const healed = await f.invoke(nem('heal-failover', null));
    assert.equal(healed.tookEffect, true, healed.error);
    await target.restart('east');
    assert.ok(await target.replicating('east', 10_000), 'east rejoined as a replica');
    assert.equal(target.primary(), 'south');
    await until('east holds the new primary\'s (empty) value', async () => (await target.dump('east', 'k')) === null);
    assert.equal((await call('east', 'write', 'k', 'x')).type, 'fail', 'east is a replica now');
  });

  it('a failover whose promotion fails restores the links and leaves the primary as it was', async () => {
    await target.kill('west');
    const f = new FailoverFault(target, target.network, REGIONS, 1000);
    const out = await f.invoke(nem('failover', { to: 'west' }));
    assert.equal(out.tookEffect, false);
    assert.match(out.error ?? '', /west/);
    assert.equal(target.primary(), 'east');
    assert.equal((await call('east', 'add', 'u', 1)).type, 'ok');
    await until('south still replicates from east', async () => JSON.stringify(await reads('south', 'u')) === '[1]');
    await target.restart('west');
  });

  it('failoverFault explains what a target lacks', () => {
    assert.throws(() => failoverFault({ name: 'x', regions: REGIONS, setup: async () => {}, teardown: async () => {}, clientEndpoint: () => ({ host: '', port: 0 }) }, REGIONS), /not Replicated/);
  });
});
