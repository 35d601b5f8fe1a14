import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupAlive, readPidFile } from '../../harness/process/spawn.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a CI timeout does to `npx rift run`: SIGTERM to the npx process alone. npm exits without passing it on,
 * so the harness must notice on its own and take down everything it started.
 */
describe('SIGTERM to the npx wrapper of rift run (integration)', function () {
  this.timeout(150_000);
  let store: string;
  let wrapper: number | undefined;
  let groups: number[] = [];
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'rift-npx-')); });
  afterEach(() => {
    for (const g of [...groups, ...(wrapper ? [wrapper] : [])]) if (groupAlive(g)) process.kill(-g, 'SIGKILL');
    rmSync(store, { recursive: true, force: true });
  });

  it('stops the harness and every process group it started', async () => {
    // Its own process group, so the test can find (and at worst kill) npm, sh and the harness together.
    const child = spawn('npx', ['rift', 'run', '--nemesis', 'none', '--time-limit', '90', '--store', store, '--name', 'npx', '--seed', '1'], {
      detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    wrapper = child.pid!;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const pidFile = (): string | undefined => {
      const runs = join(store, 'npx');
      const [stamp] = existsSync(runs) ? readdirSync(runs) : [];
      return stamp && join(runs, stamp, 'pids.jsonl');
    };
    const deadline = Date.now() + 90_000;
    while (!(pidFile() && readPidFile(pidFile()!).length >= 7)) {
      if (Date.now() > deadline) throw new Error(`the run never came up:\n${output}`);
      await sleep(200);
    }
    groups = readPidFile(pidFile()!).map((r) => r.pgid);
    process.kill(wrapper, 'SIGTERM');
    const until = Date.now() + 30_000;
    while ((groupAlive(wrapper) || groups.some(groupAlive)) && Date.now() < until) await sleep(200);
    assert.equal(groupAlive(wrapper), false, `npm, sh or the harness survived:\n${output}`);
    for (const g of groups) assert.equal(groupAlive(g), false, `process group ${g} survived`);
    assert.match(output, /the process that started rift \(pid \d+\) has exited; stopping as on SIGTERM/);
  });
});
