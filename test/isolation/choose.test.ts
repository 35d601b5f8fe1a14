import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseIsolation } from '../../harness/isolation/choose.ts';
import { CliError, EXIT } from '../../harness/cli/exit-codes.ts';
import { findContainerRuntime } from '../../harness/isolation/docker/find-runtime.ts';

const RIFT = fileURLToPath(new URL('../../bin/rift.mjs', import.meta.url));
const available = () => undefined;
const refused = () => 'making network namespaces needs root';
const noRuntime = () => undefined;

function exitOf(f: () => unknown): { code: number; message: string } {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CliError, `not a CliError: ${e}`);
    return { code: e.exitCode, message: e.message };
  }
  assert.fail('no error');
}

describe('isolation/choose', () => {
  it('gives the local target netns when the machine allows it, without a notice', () => {
    const notices: string[] = [];
    assert.equal(chooseIsolation('local', undefined, (l) => notices.push(l), available, noRuntime), 'netns');
    assert.deepEqual(notices, []);
  });

  it('falls back to process with a notice naming why netns is unavailable', () => {
    const notices: string[] = [];
    assert.equal(chooseIsolation('local', undefined, (l) => notices.push(l), refused, noRuntime), 'process');
    assert.equal(notices.length, 1);
    assert.match(notices[0], /isolation process .*needs root/);
  });

  it('keeps an explicit process without probing, and refuses an explicit netns the machine cannot do (64)', () => {
    assert.equal(chooseIsolation('local', 'process', () => undefined, () => assert.fail('probed'), noRuntime), 'process');
    const e = exitOf(() => chooseIsolation('local', 'netns', () => undefined, refused, noRuntime));
    assert.equal(e.code, EXIT.usage);
    assert.match(e.message, /needs root/);
  });

  it('docker: exits 70 at once when no container runtime is found, saying how to get one; chosen when one is found', () => {
    const e = exitOf(() => chooseIsolation('local', 'docker', () => undefined, () => assert.fail('probed'), noRuntime));
    assert.equal(e.code, EXIT.internal);
    assert.match(e.message, /^--isolation docker: no container runtime was found \(looked at .*DOCKER_HOST.*\/var\/run\/docker\.sock.*\)\. To get one: start Docker .* Or run with --isolation netns or process\.$/);
    assert.equal(chooseIsolation('local', 'docker', () => assert.fail('noticed'), () => assert.fail('probed'), () => '/var/run/docker.sock'), 'docker');
  });

  it('rejects --isolation for targets that deploy their own processes, and unknown modes (64)', () => {
    assert.equal(chooseIsolation('etcd', undefined, () => undefined, () => assert.fail('probed'), noRuntime), undefined);
    assert.equal(exitOf(() => chooseIsolation('etcd', 'netns', () => undefined, available, noRuntime)).code, EXIT.usage);
    const e = exitOf(() => chooseIsolation('local', 'vm', () => undefined, available, noRuntime));
    assert.equal(e.code, EXIT.usage);
    assert.match(e.message, /one of netns, process, docker/);
  });

  it('rift run --isolation docker exits 70 before deploying anything where no runtime is found, naming what to do', function () {
    const found = findContainerRuntime();
    if (found) {
      console.log(`      skipped: a container runtime may answer here (${found}); test/isolation/docker.test.ts runs against it`);
      this.skip();
    }
    const store = mkdtempSync(join(tmpdir(), 'rift-nodocker-'));
    try {
      const r = spawnSync(process.execPath, [RIFT, 'run', '--isolation', 'docker', '--store', store], { encoding: 'utf8' });
      assert.equal(r.status, EXIT.internal, r.stderr);
      assert.match(r.stderr, /--isolation docker: no container runtime was found .* To get one: start Docker/);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(store), [], 'the run left something in the store');
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
