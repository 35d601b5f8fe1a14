import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RIFT = fileURLToPath(new URL('../../../bin/rift.mjs', import.meta.url));
const FORBID = fileURLToPath(new URL('./fixtures/forbid-testcontainers.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const forbidden = (args: string[]) => spawnSync(process.execPath, ['--import', FORBID, ...args], { encoding: 'utf8' });

/** testcontainers (and its 150-odd packages) is loaded only once a docker-isolated target connects, never at start-up. */
describe('isolation/docker: testcontainers is imported lazily', () => {
  it('the guard works: a process that imports testcontainers fails under it', () => {
    const r = forbidden(['--input-type=module', '-e', "await import('testcontainers')"]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /testcontainers imported from/);
  });

  it('the CLI starting, and rift run parsing its options and choosing isolation, never import it', () => {
    for (const args of [['help'], ['run', '--isolation', 'process', '--help']]) {
      const r = forbidden([RIFT, ...args]);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('neither do the runner with every target, nor the library API', () => {
    for (const mod of ['harness/runner.ts', 'harness/targets/index.ts', 'index.ts']) {
      const r = forbidden(['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(REPO + mod)})`]);
      assert.equal(r.status, 0, `${mod}: ${r.stderr}`);
    }
  });
});
