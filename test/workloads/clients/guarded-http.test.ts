import { strict as assert } from 'node:assert';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BodyNotSent, guardedRequest } from '../../../workloads/clients/guarded-http.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../../harness/net/toxiproxy.ts';

const listen = <S extends Server | HttpServer>(s: S): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
const never = () => new AbortController().signal;

describe('workloads/clients/guarded-http (real sockets, real Toxiproxy)', function () {
  this.timeout(30_000);
  let dir: string;
  let tp: ToxiproxyServer;
  let http: HttpServer;
  let httpPort: number;
  const received: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-guarded-'));
    tp = await startToxiproxy({ logFile: join(dir, 'toxiproxy.log'), pidFile: join(dir, 'pids.jsonl') });
    http = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        if (req.url === '/drop-after-body') return req.socket.destroy();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ got: body }));
      });
    });
    httpPort = await listen(http);
  });
  after(async () => {
    http?.close();
    await tp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the body after 100 Continue and returns the answer', async () => {
    const r = await guardedRequest({ host: '127.0.0.1', port: httpPort }, 'POST', '/x', { 'content-type': 'application/json' }, '{"v":1}', never());
    assert.deepEqual([r.status, JSON.parse(r.text).got], [200, '{"v":1}']);
    const g = await guardedRequest({ host: '127.0.0.1', port: httpPort }, 'GET', '/x', {}, undefined, never());
    assert.equal(g.status, 200);
  });

  it('a connection closed once the body was sent is ambiguous: a plain error, not BodyNotSent', async () => {
    const before = received.length;
    await assert.rejects(
      guardedRequest({ host: '127.0.0.1', port: httpPort }, 'POST', '/drop-after-body', {}, '{"v":2}', never()),
      (e: Error) => !(e instanceof BodyNotSent),
    );
    assert.equal(received.length, before + 1, 'the server did get the body');
  });

  it('a server that closes on the headers never saw the body: BodyNotSent', async () => {
    const got: Buffer[] = [];
    const rude: Server = createServer((s) => s.on('data', (d) => { got.push(d); s.destroy(); }).on('error', () => undefined));
    const port = await listen(rude);
    try {
      await assert.rejects(guardedRequest({ host: '127.0.0.1', port }, 'POST', '/x', {}, '{"secret":3}', never()), BodyNotSent);
      assert.ok(!Buffer.concat(got).toString().includes('secret'), 'the body never left the client');
    } finally {
      rude.close();
    }
  });

  it('through Toxiproxy to a node that is down: the proxy takes the connection, yet the request is known not sent', async () => {
    const down: Server = createServer();
    const deadPort = await listen(down);
    await new Promise<void>((r) => down.close(() => r()));
    const p = await tp.client.createProxy({ name: 'dead', listen: '127.0.0.1:0', upstream: `127.0.0.1:${deadPort}` });
    const port = Number(p.listen.split(':')[1]);
    await assert.rejects(guardedRequest({ host: '127.0.0.1', port }, 'POST', '/v1/kv/k', {}, '{"value":1}', never()), BodyNotSent);
    const live = await tp.client.createProxy({ name: 'live', listen: '127.0.0.1:0', upstream: `127.0.0.1:${httpPort}` });
    const r = await guardedRequest({ host: '127.0.0.1', port: Number(live.listen.split(':')[1]) }, 'POST', '/x', {}, '{"v":4}', never());
    assert.equal(JSON.parse(r.text).got, '{"v":4}', 'the same request through a proxy to a live node goes through');
  });

  it('a timeout before 100 Continue is BodyNotSent too', async () => {
    const held: import('node:net').Socket[] = [];
    const silent: Server = createServer((s) => held.push(s.on('error', () => undefined)));
    const port = await listen(silent);
    try {
      await assert.rejects(guardedRequest({ host: '127.0.0.1', port }, 'POST', '/x', {}, '{"v":5}', AbortSignal.timeout(200)), (e: Error) => e instanceof BodyNotSent && /100 Continue/.test(e.message));
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  });
});
