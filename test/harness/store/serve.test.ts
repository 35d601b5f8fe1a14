import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveRequest, serveStore } from '../../../harness/store/serve.ts';
import { makeRun } from './fixture.ts';

const RIFT = resolve('bin/rift.mjs');

/** A raw GET: the path goes out exactly as given (no URL normalisation), as an attacker would send it. */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  const u = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => done({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('rift serve', function () {
  this.timeout(60_000);
  let root: string;
  let store: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'rift-serve-'));
    store = join(root, 'store');
    makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1 });
    writeFileSync(join(store, 'index.html'), '<!doctype html><title>index</title>');
    writeFileSync(join(root, 'secret.txt'), 'not for the web');
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'x.txt'), 'outside');
    symlinkSync(join(root, 'outside'), join(store, 'escape'));
    symlinkSync('p/2026-01-01T010000Z', join(store, 'latest'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('maps request paths to files below the store, refusing every way out', () => {
    const real = resolve(store);
    assert.deepEqual(resolveRequest(real, '/'), { file: join(real, 'index.html') });
    assert.deepEqual(resolveRequest(real, '/p/2026-01-01T010000Z/'), { file: join(real, 'p', '2026-01-01T010000Z', 'report.html') }, 'a run folder serves its report');
    assert.deepEqual(resolveRequest(real, '/latest/run.json?x=1'), { file: join(real, 'p', '2026-01-01T010000Z', 'run.json') }, 'a symlink inside the store is followed');
    for (const path of ['/../secret.txt', '/p/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..\\secret.txt', '/escape/x.txt']) {
      assert.equal((resolveRequest(real, path) as { status?: number }).status, 403, path);
    }
    assert.equal((resolveRequest(real, '/%zz') as { status?: number }).status, 400);
    assert.equal((resolveRequest(real, '/a%00b') as { status?: number }).status, 400);
    assert.equal((resolveRequest(real, '/nope.html') as { status?: number }).status, 404);
  });

  describe('over HTTP on 127.0.0.1', () => {
    let server: Server;
    let url: string;
    before(async () => ({ server, url } = await serveStore(store, 0)));
    after(() => new Promise<void>((done) => server.close(() => done())));

    it('listens on 127.0.0.1 only and serves the index and each run\'s files with their types', async () => {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.equal((server.address() as { address: string }).address, '127.0.0.1');
      const index = await get(url, '/');
      assert.deepEqual([index.status, index.type], [200, 'text/html; charset=utf-8']);
      assert.match(index.body, /^<!doctype html>/);
      const run = await get(url, '/p/2026-01-01T010000Z/run.json');
      assert.equal(run.type, 'application/json; charset=utf-8');
      assert.equal(JSON.parse(run.body).seed, 1);
      assert.equal((await get(url, '/p/2026-01-01T010000Z/report.html', 'HEAD')).status, 200);
    });

    it('refuses traversal with 403 and never sends the file', async () => {
      for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/p/%2e%2e/%2e%2e/secret.txt', '/escape/x.txt']) {
        const r = await get(url, path);
        assert.equal(r.status, 403, path);
        assert.doesNotMatch(r.body, /not for the web|outside\n?$/);
      }
      assert.equal((await get(url, '/missing')).status, 404);
      assert.equal((await get(url, '/', 'POST')).status, 405);
    });
  });

  it('the command prints the URL, serves, and stops cleanly on SIGTERM and SIGINT with exit 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(process.execPath, [RIFT, 'serve', '--store', store, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8');
      const served = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (c) => {
          out += c;
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) done(m[1]);
        });
        child.on('exit', (code) => fail(new Error(`rift serve exited ${code}: ${out}`)));
      });
      const index = await get(served, '/');
      assert.equal(index.status, 200);
      assert.match(index.body, /<h1>Rift store<\/h1>/, 'the index was regenerated before serving');
      const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.kill(signal);
      assert.equal(await exit, 0, `${signal}: ${out}`);
      assert.match(out, new RegExp(`rift serve: ${signal}, stopped`));
      await assert.rejects(get(served, '/'), /ECONNREFUSED/);
    }
  });

  it('refuses a bad port or store with 64, naming the option', async () => {
    const { spawnSync } = await import('node:child_process');
    const port = spawnSync(process.execPath, [RIFT, 'serve', '--store', store, '--port', '70000'], { encoding: 'utf8' });
    assert.equal(port.status, 64);
    assert.match(port.stderr, /--port must be an integer >= 0 and <= 65535 \(got "70000"\)/);
    const missing = spawnSync(process.execPath, [RIFT, 'serve', '--store', join(root, 'none')], { encoding: 'utf8' });
    assert.equal(missing.status, 64);
    assert.match(missing.stderr, /--store .*none: no such directory/);
    assert.match(spawnSync(process.execPath, [RIFT, 'serve', '--help'], { encoding: 'utf8' }).stdout, /^rift serve \[--store DIR\] \[--port N\]/);
  });
});
