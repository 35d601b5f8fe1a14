import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const DEPLOY = join(REPO, 'examples/external/deploy-local.ts');
const CONFIG = join(REPO, 'examples/external.config.ts');
const RIFT = join(REPO, 'bin/rift.mjs');

/**
 * A deployment started separately (examples/external/deploy-local.ts: Redis, layer nodes, Toxiproxy, and a control
 * endpoint its commands call), then `rift run --target external --config examples/external.config.ts` driving it with
 * only the endpoints and commands that config gives: kill, pause and partitions must take effect, and the run must
 * end with a history and a report.
 */
describe('targets/external driving a deployment Rift did not start (real Redis, layer nodes, Toxiproxy, rift CLI)', function () {
  this.timeout(240_000);
  let dir: string;
  let deployment: ChildProcess | undefined;
  let deploymentFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-external-'));
    deployment = spawn(process.execPath, ['--import', 'tsx', DEPLOY, join(dir, 'deployment'), '--isolation', 'process', '--regions', 'east,west'], {
      cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'],
    });
    deploymentFile = await new Promise<string>((resolve, reject) => {
      let out = '';
      deployment!.stdout!.on('data', (d) => {
        out += d.toString();
        const m = /ready (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      deployment!.once('exit', (code) => reject(new Error(`deployment exited (${code}) before it was ready: ${out}`)));
    });
  });

  after(async () => {
    if (deployment && deployment.exitCode === null) {
      const gone = new Promise((r) => deployment!.once('exit', r));
      deployment.kill('SIGTERM');
      await gone;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the workload under kill, pause and partition faults, and writes history, results and report', async () => {
    const store = join(dir, 'store');
    const args = [RIFT, 'run', '--target', 'external', '--config', CONFIG, '--workload', 'register', '--nemesis', 'kill,pause,partition-isolate',
      '--nemesis-interval', '1', '--time-limit', '10', '--seed', '5', '--settle', '1', '--store', store, '--name', 'ext'];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const c = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RIFT_DEPLOYMENT: deploymentFile } });
      let output = '';
      c.stdout.on('data', (d) => (output += d));
      c.stderr.on('data', (d) => (output += d));
      c.once('exit', (code) => resolve({ code, output }));
    });
    assert.equal(code, 0, output);
    const runDir = join(store, 'ext', readdirSync(join(store, 'ext'))[0]);
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    assert.equal(run.target, 'external');
    assert.equal(run.config, CONFIG);
    assert.deepEqual(run.regions, ['east', 'west']);
    const lines = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.filter((o) => o.process !== 'nemesis' && o.type === 'ok').length > 10, 'too few ok client operations');
    const took = new Set(lines.filter((o) => o.process === 'nemesis' && o.meta?.tookEffect === true).map((o) => o.f));
    for (const f of ['kill', 'pause', 'partition']) assert.ok(took.has(f), `no ${f} took effect; effective: ${[...took].join(', ')}\n${output}`);
    for (const f of ['results.json', 'report.html', 'junit.xml']) assert.ok(existsSync(join(runDir, f)), `${f} missing`);
  });
});
