import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupAlive, processStartTime } from '../../../harness/process/spawn.ts';

const RIFT = resolve('bin/rift.mjs');
const rift = (...args: string[]) => spawnSync(process.execPath, [RIFT, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('rift COMMAND --help', function () {
  this.timeout(60_000);
  for (const [command, first] of [['run', /^rift run \[options\]/], ['check', /^rift check HISTORY\.\.\. \[options\]/], ['report', /^rift report RUN_DIR/], ['clean', /^rift clean \[--store DIR\]/],
    ['suite', /^rift suite NAME \[options\]/], ['diff', /^rift diff RUN_A RUN_B/], ['prune', /^rift prune --keep N \| --keep-days D/], ['serve', /^rift serve \[--store DIR\] \[--port N\]/]] as const) {
    it(`rift ${command} --help prints its usage and exits 0`, () => {
      const r = rift(command, '--help');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, first);
      assert.equal(r.stderr, '');
    });
  }
});

describe('rift suite usage', function () {
  this.timeout(60_000);
  it('refuses an unknown --bugs switch with 64 before loading a config or deploying anything', () => {
    const r = rift('suite', 'certify', '--bugs', 'no-such-bug', '--config', 'no-such-config.ts');
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, /--bugs: unknown bug switch "no-such-bug"; the layer's switches are skip-version-check/);
  });
});

describe('rift clean with torn pid files', function () {
  this.timeout(60_000);
  let store: string;
  let sleeper: ChildProcess | undefined;
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'rift-clean-')); });
  afterEach(() => {
    if (sleeper?.pid !== undefined && groupAlive(sleeper.pid)) process.kill(-sleeper.pid, 'SIGKILL');
    rmSync(store, { recursive: true, force: true });
  });

  it('skips a torn line and an unreadable record, says which, and still reaps the group recorded beside them', async () => {
    // A process group of its own, as spawnGroup makes them, recorded the way a run records it.
    sleeper = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    const pgid = sleeper.pid!;
    const good = JSON.stringify({ name: 'sleeper', pgid, startTime: processStartTime(pgid), command: 'sleep' });
    mkdirSync(join(store, 'a', 'run1'), { recursive: true });
    mkdirSync(join(store, 'b', 'run2'), { recursive: true });
    writeFileSync(join(store, 'a', 'run1', 'pids.jsonl'), `${good}\n{"name": "redis us-east", "pgid": 12`);
    writeFileSync(join(store, 'b', 'run2', 'pids.jsonl'), '{"name": "node", "pgid": "not a pid"}\n');
    const r = rift('clean', '--store', store);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /skipped .*a\/run1\/pids\.jsonl:2: not a pid record/);
    assert.match(r.stderr, /skipped .*b\/run2\/pids\.jsonl:1: not a pid record: field "pgid"/);
    assert.match(r.stdout, new RegExp(`killed sleeper \\(process group ${pgid}\\)`));
    assert.match(r.stdout, /skipped 2 unreadable pid record/);
    await new Promise((done) => (sleeper!.exitCode !== null || sleeper!.signalCode !== null ? done(undefined) : sleeper!.once('exit', done)));
    assert.equal(sleeper.signalCode, 'SIGKILL');
  });
});
