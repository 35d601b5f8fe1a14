import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findContainerRuntime } from '../../harness/isolation/docker/find-runtime.ts';

const RIFT = fileURLToPath(new URL('../../bin/rift.mjs', import.meta.url));

/**
 * `rift run --isolation docker` for real: images built from docker/, a container per region and Toxiproxy's, under
 * kill, pause and partition faults. Skipped, with the reason printed, where no container runtime is found or none
 * answers (as on this project's machines): it is never counted as passed without an engine.
 */
describe('isolation docker: a short real run in containers (testcontainers, docker/ images)', function () {
  // The first run builds both images (a Go build of Toxiproxy, npm ci of the layer); later runs use Docker's cache.
  this.timeout(1_800_000);
  let store: string;

  before(async function () {
    const found = findContainerRuntime();
    let why = found === undefined ? 'no container runtime was found (no DOCKER_HOST, no Docker socket, no ~/.testcontainers.properties)' : undefined;
    if (found !== undefined) {
      const { connectTestcontainers } = await import('../../harness/isolation/docker/testcontainers-runtime.ts');
      await connectTestcontainers().catch((e: Error) => { why = `${found} was found but: ${e.message}`; });
    }
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    store = mkdtempSync(join(tmpdir(), 'rift-docker-'));
  });

  after(() => { if (store) rmSync(store, { recursive: true, force: true }); });

  it('keeps the contract under kill, pause and isolation, with run.json saying docker', async () => {
    const args = [RIFT, 'run', '--isolation', 'docker', '--workload', 'register', '--nemesis', 'kill,pause,partition-isolate', '--nemesis-interval', '2',
      '--time-limit', '15', '--seed', '11', '--settle', '2', '--store', store, '--name', 'docker'];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      c.stdout.on('data', (d) => (output += d));
      c.stderr.on('data', (d) => (output += d));
      c.once('exit', (code) => resolve({ code, output }));
    });
    assert.equal(code, 0, output);
    assert.match(output, /setup took [\d.]+ s \(isolation docker\)/);
    const runDir = join(store, 'docker', readdirSync(join(store, 'docker'))[0]);
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    assert.equal(run.isolation, 'docker');
    const lines = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const took = new Set(lines.filter((o) => o.process === 'nemesis' && o.meta?.tookEffect === true).map((o) => o.f));
    for (const f of ['kill', 'restart', 'pause', 'resume', 'partition']) assert.ok(took.has(f), `no ${f} took effect; effective: ${[...took].join(', ')}\n${output}`);
  });
});
