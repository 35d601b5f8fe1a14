import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildState, sourceStamps, writeManifest } from '../../bin/build-state.mjs';
import { pathologicalOps } from '../checkers/linearizable/pathological.ts';

const ROOT = resolve('.');
const RECORD_LOADS = resolve('test/bin/fixtures/record-loads.mjs');

/** A history with 16 keys and 8,000 ops. */
function manyKeys(): string {
  const lines: string[] = [];
  let t = 0;
  for (let i = 0; i < 4000; i++) {
    const e = { process: i % 8, f: 'write', key: `k${i % 16}`, value: i };
    lines.push(JSON.stringify({ type: 'invoke', ...e, time: t++ }), JSON.stringify({ type: 'ok', ...e, time: t++ }));
  }
  return lines.join('\n') + '\n';
}

/**
 * A key no search finishes (40 concurrent writes and a read of a value none wrote) and 600 easy ones: a check that
 * runs until its budget, with partitions left for the linearizability checker's worker threads.
 */
function longCheck(): string {
  const easy = Array.from({ length: 600 }, (_, k) => [
    { type: 'invoke', process: 100 + k, f: 'write', key: `e${k}`, value: k, time: 0 },
    { type: 'ok', process: 100 + k, f: 'write', key: `e${k}`, value: k, time: 0 },
  ]).flat();
  return [...pathologicalOps(40, 'hard'), ...easy].map((o) => JSON.stringify(o)).join('\n') + '\n';
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
    writeFileSync(history, longCheck());
    const log = join(dir, 'loads.txt');
    // NODE_OPTIONS cleared: nothing from the test runner (mocha's tsx) may reach the child.
    const r = spawnSync(process.execPath, ['--import', RECORD_LOADS, join(ROOT, 'bin/rift.mjs'), 'check', history, '--model', 'register', '--budget', '1.5', '--workers', '2'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', RIFT_LOAD_LOG: log },
    });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /UNKNOWN|unknown/);
    assert.equal(r.stderr, '', 'no warning about a stale build');
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(urls.includes(`file://${ROOT}/dist/cli/main.js`), 'the compiled CLI');
    assert.ok(urls.includes(`file://${ROOT}/dist/cli/worker.js`), 'the compiled worker');
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
    assert.ok(urls.includes(`file://${ROOT}/dist/cli/check-worker.js`), 'the compiled file worker');
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/tsx/') || /\.[cm]?ts$/.test(u)), []);
  });

  it('writes the whole report with --out, its stylesheet and scripts inlined from beside the compiled renderer', () => {
    const history = join(dir, 'small.jsonl');
    writeFileSync(history, manyKeys().split('\n').slice(0, 40).join('\n') + '\n');
    const out = join(dir, 'report');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/rift.mjs'), 'check', history, '--model', 'register', '--out', out], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const asset of ['report.css', 'report.js', 'timeline.js']) {
      const firstLine = readFileSync(join(ROOT, 'reports/html/assets', asset), 'utf8').split('\n').find((l) => l.trim().length > 20)!;
      assert.ok(html.includes(firstLine.trim()), `${asset} is inlined`);
    }
  });
});

describe('buildState (bin/build-state.mjs)', () => {
  const SOURCES = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.sh', 'harness/cli/main.ts', 'checkers/a.ts'];
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rift-build-state-'));
    for (const d of ['harness/cli', 'checkers', 'reports', 'workloads', 'layer', 'scripts', 'dist']) mkdirSync(join(root, d), { recursive: true });
    for (const f of [...SOURCES, 'layer/README.md']) writeFileSync(join(root, f), 'x');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  /** Sets a file's times to `seconds` after a fixed moment, so that the same call gives the very same time. */
  const at = (rel: string, seconds: number) => {
    const t = new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
    utimesSync(join(root, rel), t, t);
  };
  const build = () => writeManifest(join(root, 'dist'), sourceStamps(root));

  it('records every compiled source and no documentation', () => {
    assert.deepEqual(Object.keys(sourceStamps(root)).sort(), [...SOURCES].sort());
  });

  it('is stale without a build, fresh after one, and stale again naming a source edited since', () => {
    assert.deepEqual(buildState(root), { fresh: false, why: 'there is no compiled build (dist/)' });
    build();
    assert.deepEqual(buildState(root), { fresh: true });
    writeFileSync(join(root, 'layer/README.md'), 'more');
    assert.deepEqual(buildState(root), { fresh: true }, 'documentation is not compiled');
    at('harness/cli/main.ts', 5);
    assert.deepEqual(buildState(root), { fresh: false, why: 'harness/cli/main.ts changed after the compiled build (dist/)' });
    // bin/rift.mjs passes the root as a URL path, with a trailing slash.
    assert.deepEqual(buildState(`${root}/`), { fresh: false, why: 'harness/cli/main.ts changed after the compiled build (dist/)' });
  });

  it('is stale when a source goes back to an older time, changes size within the same time, or is removed', () => {
    at('checkers/a.ts', 0);
    build();
    at('checkers/a.ts', -3600);
    assert.deepEqual(buildState(root), { fresh: false, why: 'checkers/a.ts changed after the compiled build (dist/)' }, 'an older copy put back');
    at('checkers/a.ts', 0);
    assert.deepEqual(buildState(root), { fresh: true });
    writeFileSync(join(root, 'checkers/a.ts'), 'xy');
    at('checkers/a.ts', 0);
    assert.deepEqual(buildState(root), { fresh: false, why: 'checkers/a.ts changed after the compiled build (dist/)' }, 'same time, other size');
    rmSync(join(root, 'checkers/a.ts'));
    assert.deepEqual(buildState(root), { fresh: false, why: 'checkers/a.ts was removed after the compiled build (dist/)' });
  });
});
