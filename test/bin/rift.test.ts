import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildState } from '../../bin/build-state.mjs';

const ROOT = resolve('.');
const RECORD_LOADS = resolve('test/bin/fixtures/record-loads.mjs');

/** A history with 16 keys and 8,000 ops: enough for the linearizability checker to use its worker threads. */
function manyKeys(): string {
  const lines: string[] = [];
  let t = 0;
  for (let i = 0; i < 4000; i++) {
    const e = { process: i % 8, f: 'write', key: `k${i % 16}`, value: i };
    lines.push(JSON.stringify({ type: 'invoke', ...e, time: t++ }), JSON.stringify({ type: 'ok', ...e, time: t++ }));
  }
  return lines.join('\n') + '\n';
}

describe('bin/rift.mjs runs the compiled build', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    // What setup does: quick when dist/ is up to date.
    execFileSync('bash', ['scripts/build.sh'], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'rift-bin-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads dist/ JavaScript, in the main thread and the checker workers, and neither tsx nor any .ts file', () => {
    const history = join(dir, 'h.jsonl');
    writeFileSync(history, manyKeys());
    const log = join(dir, 'loads.txt');
    // NODE_OPTIONS cleared: nothing from the test runner (mocha's tsx) may reach the child.
    const r = spawnSync(process.execPath, ['--import', RECORD_LOADS, join(ROOT, 'bin/rift.mjs'), 'check', history, '--model', 'register'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', RIFT_LOAD_LOG: log },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '', 'no warning about a stale build');
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(urls.includes(`file://${ROOT}/dist/harness/cli/main.js`), 'the compiled CLI');
    assert.ok(urls.includes(`file://${ROOT}/dist/checkers/linearizable/worker.js`), 'the compiled worker');
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/tsx/') || /\.[cm]?ts$/.test(u)), []);
  });

  it('checks many files on compiled worker threads with --workers', () => {
    const files = ['a', 'b', 'c'].map((n) => {
      const p = join(dir, `${n}.jsonl`);
      writeFileSync(p, manyKeys());
      return p;
    });
    const log = join(dir, 'loads-many.txt');
    const r = spawnSync(process.execPath, ['--import', RECORD_LOADS, join(ROOT, 'bin/rift.mjs'), 'check', ...files, '--model', 'register', '--workers', '2'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', RIFT_LOAD_LOG: log },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /checked 3 histories: 3 valid/);
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(urls.includes(`file://${ROOT}/dist/harness/cli/check-worker.js`), 'the compiled file worker');
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/tsx/') || /\.[cm]?ts$/.test(u)), []);
  });
});

describe('buildState (bin/build-state.mjs)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rift-build-state-'));
    for (const d of ['harness/cli', 'checkers', 'reports', 'workloads', 'layer', 'dist']) mkdirSync(join(root, d), { recursive: true });
    for (const f of ['tsconfig.json', 'tsconfig.build.json', 'harness/cli/main.ts', 'layer/README.md']) writeFileSync(join(root, f), '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const age = (rel: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, rel), t, t);
  };

  it('is stale without a build, fresh after one, and stale again naming a source edited since', () => {
    assert.deepEqual(buildState(root), { fresh: false, why: 'there is no compiled build (dist/)' });
    for (const f of ['tsconfig.json', 'tsconfig.build.json', 'harness/cli/main.ts', 'layer/README.md']) age(f, 60);
    writeFileSync(join(root, 'dist/.build-stamp'), '');
    age('dist/.build-stamp', 30);
    assert.deepEqual(buildState(root), { fresh: true });
    age('layer/README.md', 0);
    assert.deepEqual(buildState(root), { fresh: true }, 'documentation is not compiled');
    age('harness/cli/main.ts', 0);
    assert.deepEqual(buildState(root), { fresh: false, why: 'harness/cli/main.ts is newer than the compiled build (dist/)' });
    // bin/rift.mjs passes the root as a URL path, with a trailing slash.
    assert.deepEqual(buildState(`${root}/`), { fresh: false, why: 'harness/cli/main.ts is newer than the compiled build (dist/)' });
  });
});
