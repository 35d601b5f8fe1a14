import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '../../../harness/core/op.ts';
import type { Client } from '../../../harness/core/client.ts';
import { freePorts } from '../../../harness/process/ports.ts';
import { spawnGroup, type ProcessGroup } from '../../../harness/process/spawn.ts';
import { Wait, waitUntilReady } from '../../../harness/process/wait.ts';
import { healthUrl, memberArgs, memberHosts, planMembers, type Member } from '../../../harness/targets/etcd/members.ts';
import { withHostsFile } from '../../../harness/targets/etcd/namespace.ts';
import { etcdClient, revisionToken } from '../../../workloads/clients/etcd.ts';

const op = (f: string, key: string, value: unknown): Op => ({ type: 'invoke', process: 0, f, key, value, time: 0 });
const never = () => new AbortController().signal;

describe('workloads/clients/etcd (against a real single-member etcd)', function () {
  this.timeout(30_000);
  let dir: string;
  let etcd: ProcessGroup | undefined;
  let client: Client;
  let port: number;
  /** A one-member cluster as the etcd target plans it, with the hosts file its peer name resolves through. */
  const soloMember = (name: string, client: number, peer: number): Member => {
    const [m] = planMembers([name], dir, dir, dir, [{ client, peer, clientProxy: client, advertisedPeer: peer }]);
    writeFileSync(m.hostsFile, memberHosts(m, [m], '127.0.0.1 localhost\n'));
    return m;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-etcd-client-'));
    const [c, p] = await freePorts(2);
    port = c;
    // A single member never dials its own peer URL, so no proxies are needed here.
    const m = soloMember('solo', c, p);
    etcd = spawnGroup({ name: 'etcd solo', ...withHostsFile(m.hostsFile, 'etcd', memberArgs(m, [m], 'client-test')), logFile: m.logFile });
    await waitUntilReady(Wait.forHttp(healthUrl(m), (s, b) => s === 200 && b.includes('"true"')), { name: 'etcd solo', logFile: m.logFile, exited: etcd.exited });
    client = await etcdClient({ solo: { host: '127.0.0.1', port: c } }, 2000).open('solo', 0);
  });

  after(async () => {
    await etcd?.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads an absent key as null', async () => {
    const c = await client.invoke(op('read', 'absent', null), never());
    assert.deepEqual({ type: c.type, value: c.value }, { type: 'ok', value: null });
    assert.equal(c.node, 'solo');
  });

  it('reads back what it wrote, with versions ordered like revisions', async () => {
    const w1 = await client.invoke(op('write', 'r/x', 3), never());
    const r1 = await client.invoke(op('read', 'r/x', null), never());
    const w2 = await client.invoke(op('write', 'r/x', { a: [1, 'b'] }), never());
    const r2 = await client.invoke(op('read', 'r/x', null), never());
    assert.equal(w1.type, 'ok');
    assert.equal(r1.value, 3);
    assert.deepEqual(r2.value, { a: [1, 'b'] });
    assert.equal(r1.meta?.version, w1.meta?.version);
    assert.equal(r2.meta?.version, w2.meta?.version);
    assert.ok(String(w1.meta?.version) < String(w2.meta?.version), `${w1.meta?.version} < ${w2.meta?.version}`);
  });

  it('pads revisions so that string order is numeric order', () => {
    assert.ok(revisionToken('9') < revisionToken('10'));
    assert.equal(revisionToken(42).length, 20);
  });

  it('cas succeeds only when the value matches, and a failed cas reports the version it saw', async () => {
    const w = await client.invoke(op('write', 'c/x', 1), never());
    const miss = await client.invoke(op('cas', 'c/x', [2, 3]), never());
    assert.deepEqual({ type: miss.type, value: miss.value }, { type: 'ok', value: false });
    assert.equal(miss.meta?.version, w.meta?.version);
    const hit = await client.invoke(op('cas', 'c/x', [1, 4]), never());
    assert.deepEqual({ type: hit.type, value: hit.value }, { type: 'ok', value: true });
    assert.equal((await client.invoke(op('read', 'c/x', null), never())).value, 4);
    const absent = await client.invoke(op('cas', 'c/none', [null, 1]), never());
    assert.equal(absent.value, false, 'cas on an absent key never matches');
  });

  it('a request etcd rejects before proposing is a definite fail', async () => {
    // Over etcd's default 1.5 MiB request limit.
    const c = await client.invoke(op('write', 'big', 'x'.repeat(1700 * 1024)), never());
    assert.equal(c.type, 'fail', JSON.stringify(c.error));
    assert.match(c.error ?? '', /too large/);
  });

  it('refuses operations it does not know and malformed cas arguments without sending them', async () => {
    assert.equal((await client.invoke(op('append', 'k', 1), never())).type, 'fail');
    const bad = await client.invoke(op('cas', 'k', 5), never());
    assert.equal(bad.type, 'fail');
    assert.match(bad.error ?? '', /\[expected, new\]/);
  });

  it('runs Elle transactions: reads see earlier appends, the commit applies every write at one revision', async () => {
    const t1 = await client.invoke(op('txn', 'txn/a', [['r', 'txn/a', null], ['append', 'txn/a', 1], ['append', 'txn/b', 2], ['r', 'txn/a', null]]), never());
    assert.equal(t1.type, 'ok', JSON.stringify(t1));
    assert.deepEqual(t1.value, [['r', 'txn/a', null], ['append', 'txn/a', 1], ['append', 'txn/b', 2], ['r', 'txn/a', [1]]]);
    const t2 = await client.invoke(op('txn', 'txn/a', [['append', 'txn/a', 3], ['r', 'txn/b', null]]), never());
    assert.deepEqual(t2.value, [['append', 'txn/a', 3], ['r', 'txn/b', [2]]]);
    const read = await client.invoke(op('txn', 'txn/a', [['r', 'txn/a', null], ['r', 'txn/b', null]]), never());
    assert.deepEqual(read.value, [['r', 'txn/a', [1, 3]], ['r', 'txn/b', [2]]]);
    assert.ok(String(read.meta?.version) >= String(t2.meta?.version), 'a later read is at a revision no earlier than the commit');
    const w = await client.invoke(op('txn', 'txn/w', [['w', 'txn/w', 5], ['r', 'txn/w', null]]), never());
    assert.deepEqual(w.value, [['w', 'txn/w', 5], ['r', 'txn/w', 5]]);
  });

  it('concurrent transactions on one key all land, in some order, each exactly once', async () => {
    const outs = await Promise.all(Array.from({ length: 8 }, (_, i) => client.invoke(op('txn', 'txn/c', [['append', 'txn/c', i], ['r', 'txn/c', null]]), never())));
    const ok = outs.filter((o) => o.type === 'ok');
    for (const o of outs) assert.ok(o.type === 'ok' || (o.type === 'fail' && /conflict/.test(o.error ?? '')), JSON.stringify(o));
    const final = (await client.invoke(op('txn', 'txn/c', [['r', 'txn/c', null]]), never())).value as [string, string, number[]][];
    const list = final[0][2];
    assert.equal(new Set(list).size, list.length, 'no append applied twice');
    assert.deepEqual([...list].sort(), ok.map((o) => (o.value as [string, string, number][])[0][2]).sort(), 'exactly the ok appends');
    // Each ok transaction read the list up to and including its own append: a prefix of the final order.
    for (const o of ok) {
      const seen = (o.value as unknown[][])[1][2] as number[];
      assert.deepEqual(list.slice(0, seen.length), seen);
    }
  });

  it('refuses malformed transactions without sending them', async () => {
    const bad = await client.invoke(op('txn', 'k', [['pop', 'k', null]]), never());
    assert.equal(bad.type, 'fail');
    assert.match(bad.error ?? '', /micro-op 0 has f "pop"/);
  });

  describe('unknown outcomes', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    let silentPort: number;
    before(async () => {
      // Accepts and never answers: the shape of a black-holed link.
      silent = createServer((s) => { sockets.push(s); });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      silentPort = (silent.address() as { port: number }).port;
    });
    after(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    });

    it('a write that times out is info, a read that times out is fail', async () => {
      const c = await etcdClient({ r: { host: '127.0.0.1', port: silentPort } }, 300).open('r', 0);
      const w = await c.invoke(op('write', 'k', 1), never());
      assert.equal(w.type, 'info');
      assert.match(w.error ?? '', /timeout/);
      const cas = await c.invoke(op('cas', 'k', [1, 2]), never());
      assert.equal(cas.type, 'info');
      const r = await c.invoke(op('read', 'k', null), never());
      assert.equal(r.type, 'fail');
    });

    it('the caller\'s signal also bounds the request', async () => {
      const c = await etcdClient({ r: { host: '127.0.0.1', port: silentPort } }, 60_000).open('r', 0);
      const started = Date.now();
      const w = await c.invoke(op('write', 'k', 1), AbortSignal.timeout(200));
      assert.equal(w.type, 'info');
      assert.ok(Date.now() - started < 5000);
    });

    it('a refused connection is a definite fail, even for a write', async () => {
      const [closed] = await freePorts(1);
      const c = await etcdClient({ r: { host: '127.0.0.1', port: closed } }, 1000).open('r', 0);
      const w = await c.invoke(op('write', 'k', 1), never());
      assert.equal(w.type, 'fail');
      assert.match(w.error ?? '', /refused/);
    });
  });

  it('a write in flight when the member dies is info, a read fail; the next write, refused, is fail', async () => {
    const [c, p] = await freePorts(2);
    const m = soloMember('doomed', c, p);
    const g = spawnGroup({ name: 'etcd doomed', ...withHostsFile(m.hostsFile, 'etcd', memberArgs(m, [m], 'doomed')), logFile: m.logFile });
    try {
      await waitUntilReady(Wait.forHttp(healthUrl(m), (s, b) => s === 200 && b.includes('"true"')), { name: 'etcd doomed', logFile: m.logFile, exited: g.exited });
      const doomed = await etcdClient({ doomed: { host: '127.0.0.1', port: c } }, 5000).open('doomed', 0);
      // Stopped, the member accepts nothing further; the requests hang until the kill resets their connections.
      g.kill('SIGSTOP');
      const w = doomed.invoke(op('write', 'k', 1), never());
      const r = doomed.invoke(op('read', 'k', null), never());
      await new Promise((res) => setTimeout(res, 200));
      g.kill('SIGKILL');
      await g.exited;
      const [wc, rc] = await Promise.all([w, r]);
      assert.equal(wc.type, 'info', JSON.stringify(wc));
      assert.equal(rc.type, 'fail', JSON.stringify(rc));
      assert.equal((await doomed.invoke(op('write', 'k', 2), never())).type, 'fail');
    } finally {
      await g.stop(500);
    }
  });

  it('open rejects a region it has no endpoint for', async () => {
    await assert.rejects(etcdClient({ solo: { host: '127.0.0.1', port } }, 1000).open('mars', 1), /mars/);
  });
});
