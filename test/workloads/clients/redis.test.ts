import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Op } from '../../../harness/core/op.ts';
import type { Client } from '../../../harness/core/client.ts';
import { freePorts } from '../../../harness/process/ports.ts';
import { spawnGroup, type ProcessGroup } from '../../../harness/process/spawn.ts';
import { Wait, waitUntilReady } from '../../../harness/process/wait.ts';
import { classifyRedisError, redisClient } from '../../../workloads/clients/redis.ts';

const op = (f: string, key: string, value: unknown): Op => ({ type: 'invoke', process: 0, f, key, value, time: 0 });
const never = () => new AbortController().signal;

async function startRedis(dir: string, name: string, port: number): Promise<ProcessGroup> {
  const logFile = join(dir, `${name}.log`);
  const g = spawnGroup({
    name, command: 'redis-server', logFile,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local', '--repl-diskless-sync-delay', '0'],
  });
  await waitUntilReady(Wait.forTcp('127.0.0.1', port), { name, logFile, exited: g.exited });
  return g;
}

describe('workloads/clients/redis (against real redis-server)', function () {
  this.timeout(30_000);
  let dir: string;
  const groups: ProcessGroup[] = [];
  const admins: Redis[] = [];
  const clients: Client[] = [];
  let primaryPort: number;
  let replicaPort: number;
  let endpoints: Record<string, { host: string; port: number }>;
  const open = async (region: string, timeoutMs = 2000, eps = endpoints): Promise<Client> => {
    const c = await redisClient(eps, timeoutMs).open(region, 0);
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-redis-client-'));
    [primaryPort, replicaPort] = await freePorts(2);
    groups.push(await startRedis(dir, 'primary', primaryPort), await startRedis(dir, 'replica', replicaPort));
    const replica = new Redis({ host: '127.0.0.1', port: replicaPort, commandTimeout: 2000 });
    admins.push(replica);
    await replica.replicaof('127.0.0.1', primaryPort);
    endpoints = { east: { host: '127.0.0.1', port: primaryPort }, west: { host: '127.0.0.1', port: replicaPort } };
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    admins.forEach((a) => a.disconnect());
    await Promise.all(groups.map((g) => g.stop(1000)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes and reads registers, absent keys read as null', async () => {
    const c = await open('east');
    assert.deepEqual(await c.invoke(op('read', 'reg/none', null), never()), { type: 'ok', value: null, node: 'east' });
    const w = await c.invoke(op('write', 'reg/x', { n: 7 }), never());
    assert.deepEqual(w, { type: 'ok', value: { n: 7 }, node: 'east' });
    assert.deepEqual((await c.invoke(op('read', 'reg/x', null), never())).value, { n: 7 });
  });

  it('adds to sets and reads them back sorted', async () => {
    const c = await open('east');
    for (const e of [10, 2, 33, 2]) assert.equal((await c.invoke(op('add', 'set/s', e), never())).type, 'ok');
    assert.deepEqual((await c.invoke(op('read', 'set/s', null), never())).value, [2, 10, 33]);
  });

  it('cas applies only on a match', async () => {
    const c = await open('east');
    await c.invoke(op('write', 'cas/x', 1), never());
    assert.equal((await c.invoke(op('cas', 'cas/x', [2, 3]), never())).value, false);
    assert.equal((await c.invoke(op('cas', 'cas/x', [1, 3]), never())).value, true);
    assert.equal((await c.invoke(op('read', 'cas/x', null), never())).value, 3);
    assert.equal((await c.invoke(op('cas', 'cas/absent', [null, 3]), never())).value, false);
  });

  it('a replica serves reads and refuses writes with a definite fail', async () => {
    const east = await open('east');
    const west = await open('west');
    await east.invoke(op('add', 'set/r', 1), never());
    let seen: unknown;
    for (let i = 0; i < 100 && !Array.isArray(seen); i++) {
      seen = (await west.invoke(op('read', 'set/r', null), never())).value;
      if (!Array.isArray(seen)) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(seen, [1]);
    const w = await west.invoke(op('write', 'reg/y', 1), never());
    assert.equal(w.type, 'fail');
    assert.match(w.error ?? '', /READONLY/);
    assert.equal((await west.invoke(op('add', 'set/r', 2), never())).type, 'fail');
  });

  it('with WAIT, a write is ok once the replicas asked for confirmed it, and info when fewer did', async () => {
    const one = await redisClient(endpoints, 600, { waitReplicas: 1 }).open('east', 0);
    const two = await redisClient(endpoints, 600, { waitReplicas: 2 }).open('east', 0);
    clients.push(one, two);
    assert.deepEqual(await one.invoke(op('write', 'wait/x', 1), never()), { type: 'ok', value: 1, node: 'east' });
    assert.deepEqual(await one.invoke(op('add', 'wait/s', 1), never()), { type: 'ok', value: 1, node: 'east' });
    assert.deepEqual(await two.invoke(op('write', 'wait/x', 2), never()), { type: 'info', value: 2, error: 'WAIT: 1 of 2 replicas confirmed the write', node: 'east' });
    assert.deepEqual(await two.invoke(op('cas', 'wait/x', [2, 3]), never()), { type: 'info', value: [2, 3], error: 'WAIT: 1 of 2 replicas confirmed the write', node: 'east' });
    assert.deepEqual(await two.invoke(op('cas', 'wait/x', [9, 4]), never()), { type: 'ok', value: false, node: 'east' }, 'a cas that wrote nothing waits for nobody');
    assert.equal((await one.invoke(op('read', 'wait/x', null), never())).value, 3, 'the primary applied the unconfirmed writes');
  });

  it('with WAIT, a write whose WAIT errors is info, never fail: the write itself has applied', async () => {
    // A writable replica applies the write and then refuses WAIT, as a primary demoted between the two commands does.
    const replicaAdmin = new Redis({ host: '127.0.0.1', port: replicaPort });
    admins.push(replicaAdmin);
    await replicaAdmin.config('SET', 'replica-read-only', 'no');
    try {
      const c = await redisClient(endpoints, 600, { waitReplicas: 1 }).open('west', 0);
      clients.push(c);
      const w = await c.invoke(op('write', 'wait/replica-local', 5), never());
      assert.equal(w.type, 'info', JSON.stringify(w));
      assert.match(w.error ?? '', /^WAIT failed after the write applied: .*replica/i);
      assert.equal(await replicaAdmin.get('wait/replica-local'), '5', 'the write applied');
    } finally {
      await replicaAdmin.config('SET', 'replica-read-only', 'yes');
    }
  });

  it('a command stuck behind a busy server is info for writes and fail for reads', async () => {
    const c = await open('east', 300);
    await c.invoke(op('read', 'reg/x', null), never());
    const admin = new Redis({ host: '127.0.0.1', port: primaryPort });
    admins.push(admin);
    const sleeping = admin.call('DEBUG', 'SLEEP', '1.5');
    await new Promise((r) => setTimeout(r, 100));
    const w = await c.invoke(op('write', 'reg/x', 9), never());
    const r = await c.invoke(op('read', 'reg/x', null), never());
    await sleeping;
    assert.equal(w.type, 'info');
    assert.equal(w.error, 'timeout');
    assert.equal(r.type, 'fail');
  });

  it('the caller\'s signal bounds an operation too', async () => {
    const c = await open('east', 60_000);
    await c.invoke(op('read', 'reg/x', null), never());
    const admin = new Redis({ host: '127.0.0.1', port: primaryPort });
    admins.push(admin);
    const sleeping = admin.call('DEBUG', 'SLEEP', '1');
    await new Promise((r) => setTimeout(r, 100));
    const w = await c.invoke(op('add', 'set/s', 99), AbortSignal.timeout(200));
    await sleeping;
    assert.equal(w.type, 'info');
  });

  it('a write in flight when the server dies is info; the next one, never sent, is fail', async () => {
    const [port] = await freePorts(1);
    const doomed = await startRedis(dir, 'doomed', port);
    groups.push(doomed);
    const c = await open('doomed', 3000, { doomed: { host: '127.0.0.1', port } });
    assert.equal((await c.invoke(op('write', 'd', 1), never())).type, 'ok');
    const admin = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    admins.push(admin);
    void admin.call('DEBUG', 'SLEEP', '2').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    const inFlight = c.invoke(op('write', 'd', 2), never());
    await new Promise((r) => setTimeout(r, 100));
    doomed.kill('SIGKILL');
    await doomed.exited;
    const w = await inFlight;
    assert.equal(w.type, 'info', JSON.stringify(w));
    const next = await c.invoke(op('write', 'd', 3), never());
    assert.equal(next.type, 'fail', JSON.stringify(next));
  });

  it('a refused connection is a definite fail, even for a write', async () => {
    const [closed] = await freePorts(1);
    const c = await open('nowhere', 500, { nowhere: { host: '127.0.0.1', port: closed } });
    const w = await c.invoke(op('write', 'k', 1), never());
    assert.equal(w.type, 'fail', JSON.stringify(w));
  });

  it('unknown operations fail without being sent', async () => {
    const c = await open('east');
    const r = await c.invoke(op('append', 'k', 1), never());
    assert.equal(r.type, 'fail');
    assert.match(r.error ?? '', /no operation "append"/);
  });

  it('classifies ioredis errors by whether the command could have run', () => {
    const reply = Object.assign(new Error('READONLY You can\'t write against a read only replica.'), { name: 'ReplyError' });
    assert.equal(classifyRedisError(reply, 'write').type, 'fail');
    assert.equal(classifyRedisError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'write').type, 'fail');
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' });
    assert.equal(classifyRedisError(maxRetries, 'write').type, 'info');
    assert.equal(classifyRedisError(new Error('Connection is closed.'), 'add').type, 'info');
    assert.equal(classifyRedisError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'cas').type, 'info');
    assert.equal(classifyRedisError(new Error('Connection is closed.'), 'read').type, 'fail');
  });
});
