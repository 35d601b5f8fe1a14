import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processAlive, readPidFile, reapPidFile } from '../../../harness/process/spawn.ts';

const HARNESS = fileURLToPath(new URL('./fixtures/interrupted-harness.ts', import.meta.url));

/**
 * Runs the fixture harness until it has a target up. "Alive" below excludes zombies: once the harness is
 * gone its killed children are re-parented to pid 1, which in this container does not always reap them.
 */
async function startHarness(dir: string, mode: 'wait' | 'throw', node: 'fake' | 'layer' = 'fake'): Promise<{ child: ChildProcess; pids: number[]; exit: Promise<{ code: number | null; signal: string | null }>; output: () => string }> {
  const pidsFile = join(dir, 'pids.json');
  const child = spawn(process.execPath, ['--import', 'tsx', HARNESS, join(dir, 'run'), pidsFile, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => out.includes('ready') && resolve());
    void exit.then(({ code }) => reject(new Error(`harness exited (${code}) before ready:\n${out}`)));
  });
  if (mode === 'wait') await ready;
  else await Promise.race([ready, exit]);
  return { child, pids: JSON.parse(readFileSync(pidsFile, 'utf8')) as number[], exit, output: () => out };
}

/**
 * Pids still alive after a grace period. SIGKILL cannot be survived, but on a loaded machine a killed process
 * may take a moment to be scheduled and die; a process that was never signalled is still there afterwards.
 */
async function survivors(pids: readonly number[], graceMs = 3000): Promise<string[]> {
  const end = Date.now() + graceMs;
  while (pids.some(processAlive) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return pids.filter(processAlive).map((pid) => {
    let what = '';
    try {
      what = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      what = '(gone while reading)';
    }
    return `${pid} ${what}`;
  });
}

describe('process: no child survives an interrupted harness', function () {
  this.timeout(90_000);
  let dir: string;
  let leftovers: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rift-interrupt-'));
  });
  afterEach(() => {
    // If the harness under test failed to clean up, do it here so the machine stays clean.
    reapPidFile(join(dir, 'run', 'pids.jsonl'));
    for (const pid of leftovers) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    leftovers = [];
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [signal, code, node] of [['SIGINT', 130, 'layer'], ['SIGTERM', 143, 'fake']] as const) {
    it(`${signal}: exits ${code} and kills every process of every group (${node} nodes)`, async () => {
      const h = await startHarness(dir, 'wait', node);
      leftovers = h.pids;
      assert.ok(h.pids.length >= 5, `expected toxiproxy + 2×(redis, node), got ${h.pids.length} pids`);
      for (const pid of h.pids) assert.ok(processAlive(pid));
      h.child.kill(signal);
      const st = await h.exit;
      assert.equal(st.code, code, h.output());
      assert.deepEqual(await survivors(h.pids), [], `survived ${signal}`);
    });
  }

  it('an uncaught exception: exits non-zero and kills every process', async () => {
    const h = await startHarness(dir, 'throw');
    leftovers = h.pids;
    const st = await h.exit;
    assert.notEqual(st.code, 0);
    assert.match(h.output(), /harness crashed on purpose/);
    assert.deepEqual(await survivors(h.pids), [], 'survived the crash');
  });

  it('SIGKILL of the harness leaves groups that the pid file lets a later run reap', async () => {
    const h = await startHarness(dir, 'wait');
    leftovers = h.pids;
    h.child.kill('SIGKILL');
    await h.exit;
    assert.ok(h.pids.some(processAlive), 'nothing can clean up after SIGKILL, so the children are still there');
    const pidFile = join(dir, 'run', 'pids.jsonl');
    const reaped = reapPidFile(pidFile);
    assert.equal(reaped.length, readPidFile(pidFile).length);
    assert.deepEqual(await survivors(h.pids), [], 'survived reaping');
  });
});
