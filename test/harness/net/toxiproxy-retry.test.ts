import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startToxiproxy, ToxiproxyClient, ToxiproxyError } from '../../../harness/net/toxiproxy.ts';

/**
 * The real server cannot be made to hang on demand (Toxiproxy #558 needs heavy traffic), so the retry
 * rules are checked against a scripted HTTP server that answers the way the real one does when it does.
 */
describe('net/toxiproxy retries', () => {
  let server: Server;
  let url: string;
  let script: { status: number; body: string; delayMs?: number }[];
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const next = script.shift() ?? { status: 500, body: 'script exhausted' };
      setTimeout(() => res.writeHead(next.status).end(next.body), next.delayMs ?? 0);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    seen.length = 0;
  });

  const proxy = { name: 'p', listen: '127.0.0.1:4000', upstream: '127.0.0.1:5000', enabled: true, toxics: [] };

  it('retries a 503 and, when the create had landed, treats the 409 as done and reads the proxy back', async () => {
    script = [
      { status: 503, body: 'Timeout' },
      { status: 409, body: JSON.stringify({ error: 'proxy already exists', status: 409 }) },
      { status: 200, body: JSON.stringify(proxy) },
    ];
    const p = await new ToxiproxyClient(url, { retries: 2 }).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: '127.0.0.1:5000' });
    assert.deepEqual(p, proxy);
    assert.deepEqual(seen, ['POST /proxies', 'POST /proxies', 'GET /proxies/p']);
  });

  it('does not treat a first-attempt 409 as success', async () => {
    script = [{ status: 409, body: JSON.stringify({ error: 'proxy already exists', status: 409 }) }];
    await assert.rejects(new ToxiproxyClient(url).createProxy({ name: 'p', listen: 'x:1', upstream: 'y:2' }), /HTTP 409: proxy already exists/);
  });

  it('times out a hung call and gives up after the retries, naming the call', async () => {
    script = [{ status: 200, body: '{}', delayMs: 1000 }, { status: 200, body: '{}', delayMs: 1000 }];
    await assert.rejects(new ToxiproxyClient(url, { timeoutMs: 100, retries: 1 }).removeToxic('p/q', 't 1'), (e: Error) => {
      assert.ok(e instanceof ToxiproxyError);
      assert.match(e.message, /toxiproxy DELETE \/proxies\/p%2Fq\/toxics\/t%201: .*attempt 2/);
      return true;
    });
  });

  it('a retried delete that finds the toxic gone is done', async () => {
    script = [{ status: 503, body: 'Timeout' }, { status: 404, body: JSON.stringify({ error: 'toxic not found' }) }];
    await new ToxiproxyClient(url).removeToxic('p', 't');
    assert.equal(seen.length, 2);
  });

  it('a missing server binary is reported with the way to install it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rift-tpbin-'));
    const prev = process.env.RIFT_TOXIPROXY_BIN;
    process.env.RIFT_TOXIPROXY_BIN = join(dir, 'nope');
    try {
      await assert.rejects(startToxiproxy({ logFile: join(dir, 'tp.log') }), /toxiproxy-server not found at .*nope: run `bash scripts\/setup.sh`/);
    } finally {
      if (prev === undefined) delete process.env.RIFT_TOXIPROXY_BIN;
      else process.env.RIFT_TOXIPROXY_BIN = prev;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
