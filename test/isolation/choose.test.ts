import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chooseIsolation } from '../../harness/isolation/choose.ts';
import { CliError, EXIT } from '../../harness/cli/exit-codes.ts';

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

  it('exits 70 at once for docker, saying no container runtime was found', () => {
    const e = exitOf(() => chooseIsolation('local', 'docker', () => undefined, () => assert.fail('probed'), noRuntime));
    assert.equal(e.code, EXIT.internal);
    assert.match(e.message, /no container runtime was found/);
    const found = exitOf(() => chooseIsolation('local', 'docker', () => undefined, available, () => '/usr/bin/podman'));
    assert.equal(found.code, EXIT.internal);
    assert.match(found.message, /\/usr\/bin\/podman was found, but this build has no docker backend/);
  });

  it('rejects --isolation for targets that deploy their own processes, and unknown modes (64)', () => {
    assert.equal(chooseIsolation('etcd', undefined, () => undefined, () => assert.fail('probed'), noRuntime), undefined);
    assert.equal(exitOf(() => chooseIsolation('etcd', 'netns', () => undefined, available, noRuntime)).code, EXIT.usage);
    const e = exitOf(() => chooseIsolation('local', 'vm', () => undefined, available, noRuntime));
    assert.equal(e.code, EXIT.usage);
    assert.match(e.message, /one of netns, process, docker/);
  });

  it('rift run --isolation docker exits 70 before deploying anything, naming the missing runtime', () => {
    const r = spawnSync(process.execPath, [RIFT, 'run', '--isolation', 'docker', '--store', '/nonexistent/rift-store'], { encoding: 'utf8' });
    assert.equal(r.status, EXIT.internal, r.stderr);
    assert.match(r.stderr, /--isolation docker: (no container runtime was found|.* was found, but this build has no docker backend)/);
  });
});
