import { strict as assert } from 'node:assert';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startToxiproxy, ToxiproxyError, type ToxiproxyServer } from '../../../harness/net/toxiproxy.ts';
import { ToxiproxyFaultNetwork } from '../../../harness/net/fault-proxy.ts';
import { clientLink, peerLink } from '../../../harness/core/target.ts';

/** What happened to one request on a fresh or given connection. */
type Outcome = 'echo' | 'silent' | 'refused' | 'closed';

function echoServer(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.on('data', (d) => s.write(d)).on('error', () => undefined));
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

function open(port: number): Promise<Socket | 'refused'> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : (() => { throw e; })()));
  });
}

function ask(s: Socket, msg: string, waitMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (o: Outcome) => {
      clearTimeout(timer);
      s.removeAllListeners('data');
      s.removeAllListeners('close');
      resolve(o);
    };
    const timer = setTimeout(() => done('silent'), waitMs);
    s.on('error', () => undefined);
    s.once('data', (d) => done(d.toString() === msg ? 'echo' : 'closed'));
    s.once('close', () => done('closed'));
    s.write(msg);
  });
}

async function fresh(port: number, waitMs = 400): Promise<Outcome> {
  const s = await open(port);
  if (s === 'refused') return 'refused';
  try {
    return await ask(s, 'ping', waitMs);
  } finally {
    s.destroy();
  }
}

describe('net/toxiproxy (real server)', function () {
  this.timeout(60_000);
  let dir: string;
  let tp: ToxiproxyServer;
  let echo: { server: Server; port: number };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-tp-'));
    tp = await startToxiproxy({ logFile: join(dir, 'toxiproxy.log'), pidFile: join(dir, 'pids.jsonl') });
    echo = await echoServer();
  });
  after(async () => {
    await tp?.stop();
    echo?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const name of Object.keys(await tp.client.proxies())) await tp.client.deleteProxy(name);
  });

  it('creates proxies that forward, and reports server errors with their message', async () => {
    assert.equal(typeof (await tp.client.version()), 'string');
    const p = await tp.client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    assert.equal(p.enabled, true);
    const port = Number(p.listen.split(':')[1]);
    assert.ok(port > 0);
    assert.equal(await fresh(port), 'echo');
    await assert.rejects(
      tp.client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }),
      (e: Error) => e instanceof ToxiproxyError && e.status === 409 && /already exists/.test(e.message),
    );
    await assert.rejects(tp.client.getProxy('nope'), (e: Error) => e instanceof ToxiproxyError && e.status === 404 && /proxy not found/.test(e.message));
    await assert.rejects(
      tp.client.addToxic('echo', { name: 'x', type: 'nonsense' as 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } }),
      (e: Error) => e instanceof ToxiproxyError && e.status === 400,
    );
  });

  describe('fault network', () => {
    const links = ['client:a', 'peer:a->b'];
    let net: ToxiproxyFaultNetwork;
    beforeEach(async () => {
      net = await ToxiproxyFaultNetwork.create(tp.client, links.map((link) => ({ link, upstream: `127.0.0.1:${echo.port}` })));
    });

    it('gives every link its own listening address', async () => {
      assert.deepEqual([...net.links], links);
      assert.notEqual(net.address(clientLink('a')).port, net.address(peerLink('a', 'b')).port);
      for (const l of links) assert.equal(await fresh(net.address(l).port), 'echo');
      assert.throws(() => net.address('peer:x->y'), /unknown link "peer:x->y"/);
    });

    it('a clean cut refuses new connections and closes open ones; heal restores the same port', async () => {
      const { port } = net.address(clientLink('a'));
      const held = await open(port);
      assert.notEqual(held, 'refused');
      const closed = new Promise<void>((r) => (held as Socket).once('close', () => r()));
      (held as Socket).on('error', () => undefined);
      await net.cut([clientLink('a')], 'clean');
      assert.equal(await fresh(port), 'refused');
      await closed;
      assert.equal(await fresh(net.address(peerLink('a', 'b')).port), 'echo', 'other links are untouched');
      await net.heal();
      assert.equal(await fresh(port), 'echo');
    });

    it('a black hole accepts connections, stays silent without closing, and resets them on heal', async () => {
      const { port } = net.address(peerLink('a', 'b'));
      const before = await open(port);
      assert.notEqual(before, 'refused');
      const s = before as Socket;
      assert.equal(await ask(s, 'one', 300), 'echo');
      await net.cut([peerLink('a', 'b')], 'black-hole');
      assert.equal(await ask(s, 'two', 800), 'silent', 'an open connection goes silent but stays open');
      assert.equal(s.destroyed, false);
      assert.equal(await fresh(port, 500), 'silent', 'new connections are accepted and then hear nothing');
      await net.cut([peerLink('a', 'b')], 'black-hole');
      const closed = new Promise<void>((r) => s.once('close', () => r()));
      await net.heal();
      await closed;
      assert.equal(await fresh(port), 'echo');
      assert.deepEqual(await tp.client.toxics('peer_a_to_b'), []);
    });

    it('latency delays each direction, and clearing it removes the delay', async () => {
      const { port } = net.address(clientLink('a'));
      await net.setLatency(clientLink('a'), 150, 0);
      const s = (await open(port)) as Socket;
      try {
        const t = Date.now();
        assert.equal(await ask(s, 'x', 3000), 'echo');
        assert.ok(Date.now() - t >= 290, `round trip took ${Date.now() - t} ms, expected ≥ 300 ms minus timer slack`);
        await net.setLatency(clientLink('a'), 20, 5);
        const toxics = await tp.client.toxics('client_a');
        assert.deepEqual(toxics.map((x) => [x.name, x.attributes]).sort(), [
          ['rift-latency-down', { latency: 20, jitter: 5 }],
          ['rift-latency-up', { latency: 20, jitter: 5 }],
        ]);
        await net.clearLatency();
        assert.deepEqual(await tp.client.toxics('client_a'), []);
      } finally {
        s.destroy();
      }
    });

    it('retargeting keeps the listen address and the cut: a disabled link stays refused until heal', async () => {
      const other = await echoServer();
      try {
        const { port } = net.address(clientLink('a'));
        await net.cut([clientLink('a')], 'clean');
        await net.retarget(clientLink('a'), `127.0.0.1:${other.port}`);
        assert.equal(await fresh(port), 'refused');
        await net.heal();
        assert.equal(await fresh(port), 'echo');
        const p = await tp.client.getProxy('client_a');
        assert.equal(p.upstream, `127.0.0.1:${other.port}`);
        assert.equal(Number(p.listen.split(':')[1]), port);
        await net.retarget(clientLink('a'), `127.0.0.1:${echo.port}`);
        assert.equal(await fresh(port), 'echo', 'an enabled link stays enabled after retargeting');
      } finally {
        other.server.close();
      }
    });

    it('bandwidth limits are set per direction and healAll removes every fault', async () => {
      await net.setBandwidth(peerLink('a', 'b'), 64);
      await net.setLatency(peerLink('a', 'b'), 10, 0);
      await net.cut([clientLink('a')], 'clean');
      await net.cut([peerLink('a', 'b')], 'black-hole');
      const names = (await tp.client.toxics('peer_a_to_b')).map((t) => t.name).sort();
      assert.deepEqual(names, ['rift-bandwidth-down', 'rift-bandwidth-up', 'rift-cut-down', 'rift-cut-up', 'rift-latency-down', 'rift-latency-up']);
      await assert.rejects(net.setBandwidth(peerLink('a', 'b'), 0), /bandwidth must be > 0/);
      await net.healAll();
      const proxies = await tp.client.proxies();
      for (const p of Object.values(proxies)) {
        assert.equal(p.enabled, true, p.name);
        assert.deepEqual(p.toxics, [], p.name);
      }
      for (const l of links) assert.equal(await fresh(net.address(l).port), 'echo');
    });
  });
});
