import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { HealthMonitor } from '../../../layer/health/health.ts';
import { freePort } from '../../../harness/process/ports.ts';

/** A fake peer /health endpoint that can be switched off or slowed down. */
async function peer(): Promise<{ url: string; server: Server; state: { up: boolean; delayMs: number } }> {
  const state = { up: true, delayMs: 0 };
  const server = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(state.up ? 200 : 503).end('{}');
    }, state.delayMs);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${port}`, server, state };
}

describe('health monitor and quorum view', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  const monitors: HealthMonitor[] = [];
  after(() => {
    for (const m of monitors) m.stop();
    for (const s of servers) s.close();
  });

  it('goes degraded below a majority and back, reporting each transition once', async () => {
    const b = await peer();
    const c = await peer();
    servers.push(b.server, c.server);
    const changes: boolean[] = [];
    const ups: string[] = [];
    const m = new HealthMonitor({ b: b.url, c: c.url }, 3, { intervalMs: 30, downAfterMs: 200, timeoutMs: 100, onChange: (d) => changes.push(d), onPeerUp: (r) => ups.push(r) });
    monitors.push(m);
    assert.equal(m.degraded, true, 'a node that has heard from nobody starts degraded');
    assert.equal(m.knownDown('b'), false, 'never heard from is unknown, not known down');
    m.start();
    await until(() => !m.degraded);
    b.state.up = false;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(m.degraded, false, 'two of three is still a majority');
    assert.equal(m.view().peers.b.up, false);
    assert.equal(m.knownDown('b'), true);
    c.state.up = false;
    await until(() => m.degraded);
    const count = (r: string) => ups.filter((x) => x === r).length;
    const bUps = count('b');
    b.state.up = true;
    await until(() => !m.degraded);
    assert.deepEqual(changes, [false, true, false]);
    assert.equal(count('b'), bUps + 1, 'b is reported coming back up');
    const cUps = count('c');
    m.sawPeer('c');
    m.sawPeer('c');
    assert.equal(count('c'), cUps + 1, 'an answer on another channel from a peer that was down counts as it coming up, once');
  });

  it('judges the quorum when asked, not only at the probe tick', () => {
    let now = 0;
    const changes: boolean[] = [];
    const m = new HealthMonitor({ b: 'http://127.0.0.1:9', c: 'http://127.0.0.1:9' }, 3, { intervalMs: 60_000, downAfterMs: 1000, timeoutMs: 100, onChange: (d) => changes.push(d), now: () => now });
    m.sawPeer('b');
    assert.equal(m.degraded, false, 'heard from a majority');
    now = 1500;
    assert.equal(m.degraded, true, 'silent past downAfterMs, with no tick in between');
    assert.equal(m.view().quorum, false);
    assert.deepEqual(changes, [false, true]);
  });

  it('predicts a slow peer is not worth forwarding to', async () => {
    const b = await peer();
    servers.push(b.server);
    const m = new HealthMonitor({ b: b.url }, 2, { intervalMs: 30, downAfterMs: 1000, timeoutMs: 500, onChange: () => {} });
    monitors.push(m);
    m.start();
    await until(() => m.isUp('b'));
    assert.equal(m.goodRoute('b', 200), true);
    b.state.delayMs = 150;
    await until(() => !m.goodRoute('b', 200));
    assert.equal(m.isUp('b'), true, 'slow is not down');
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
