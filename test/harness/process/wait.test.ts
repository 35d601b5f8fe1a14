import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../harness/process/ports.ts';
import { spawnGroup } from '../../../harness/process/spawn.ts';
import { NotReadyError, Wait, waitUntilReady } from '../../../harness/process/wait.ts';

describe('process/wait', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rift-wait-'));
  });
  afterEach(async () => {
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const listen = async (status: number, body: string): Promise<number> => {
    const port = await freePort();
    server = createServer((_, res) => res.writeHead(status).end(body));
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    return port;
  };

  it('forTcp waits for a listener that appears later', async () => {
    const port = await freePort();
    setTimeout(() => {
      server = createServer();
      server.listen(port, '127.0.0.1');
    }, 200);
    await waitUntilReady(Wait.forTcp('127.0.0.1', port, 5000), { name: 'late server' });
  });

  it('forTcp times out naming the address and showing the log tail', async () => {
    const port = await freePort();
    const log = join(dir, 'x.log');
    writeFileSync(log, Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n');
    await assert.rejects(
      waitUntilReady(Wait.forTcp('127.0.0.1', port, 300), { name: 'redis us-east', logFile: log }),
      (e: Error) => {
        assert.ok(e instanceof NotReadyError);
        assert.match(e.message, new RegExp(`redis us-east did not become ready \\(tcp 127.0.0.1:${port} .*\\): timed out after 300 ms`));
        assert.match(e.message, /line 29/);
        assert.doesNotMatch(e.message, /line 5\n/);
        return true;
      },
    );
  });

  it('forHttp applies the predicate to status and body', async () => {
    const port = await listen(503, 'warming');
    await assert.rejects(waitUntilReady(Wait.forHttp(`http://127.0.0.1:${port}/health`, undefined, 300), { name: 'node' }), /timed out/);
    await waitUntilReady(Wait.forHttp(`http://127.0.0.1:${port}/health`, (s, b) => s === 503 && b === 'warming', 2000), { name: 'node' });
  });

  it('forLog matches a line written later', async () => {
    const log = join(dir, 'n.log');
    setTimeout(() => appendFileSync(log, 'node us-east listening on 7001\n'), 150);
    await waitUntilReady(Wait.forLog(log, /listening/, 3000), { name: 'node' });
  });

  it('forLog ignores what was written before fromByte', async () => {
    const log = join(dir, 'r.log');
    writeFileSync(log, 'old incarnation listening\n');
    const from = Buffer.byteLength('old incarnation listening\n');
    await assert.rejects(waitUntilReady(Wait.forLog(log, /listening/, 300, from), { name: 'restarted node' }), /timed out/);
    appendFileSync(log, 'new incarnation listening\n');
    await waitUntilReady(Wait.forLog(log, /listening/, 1000, from), { name: 'restarted node' });
  });

  it('forAll names only the strategies still missing', async () => {
    const port = await listen(200, 'ok');
    const log = join(dir, 'never.log');
    await assert.rejects(
      waitUntilReady(Wait.forAll([Wait.forTcp('127.0.0.1', port), Wait.forLog(log, /listening/)], 300), { name: 'pair' }),
      (e: Error) => {
        assert.match(e.message, /all of \[log .*never\.log matching \/listening\/\]/);
        assert.doesNotMatch(e.message, /tcp 127/);
        return true;
      },
    );
  });

  it('stops waiting as soon as the process exits', async () => {
    const port = await freePort();
    const g = spawnGroup({ name: 'crasher', command: 'sh', args: ['-c', 'echo fatal: bad config; exit 2'], logFile: join(dir, 'c.log') });
    const started = Date.now();
    await assert.rejects(
      waitUntilReady(Wait.forTcp('127.0.0.1', port, 10_000), { name: 'crasher', logFile: g.logFile, exited: g.exited }),
      /crasher did not become ready .*process exited \(code 2, signal null\)[\s\S]*fatal: bad config/,
    );
    assert.ok(Date.now() - started < 5000);
  });
});
