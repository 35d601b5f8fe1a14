import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { groupAlive, readPidFile } from '../../harness/process/spawn.ts';

const RIFT = resolve('bin/rift.mjs');

function pidFileOf(store: string): string | undefined {
  const runs = join(store, 'int');
  if (!existsSync(runs)) return undefined;
  const [stamp] = readdirSync(runs);
  return stamp && join(runs, stamp, 'pids.jsonl');
}

/** Starts `rift run`, waits until its regions are up, interrupts it, and checks that nothing it started lives on. */
interface Interrupted {
  code: number | null;
  groups: number[];
  output: string;
  runJson: { status?: string; exitCode?: number; rerun?: string };
  report: { code: number | null; output: string; html: boolean; results: { valid?: unknown } | undefined };
}

async function interrupted(signal: NodeJS.Signals): Promise<Interrupted> {
  const store = mkdtempSync(join(tmpdir(), 'rift-int-'));
  try {
    const child = spawn(process.execPath, [RIFT, 'run', '--time-limit', '60', '--store', store, '--name', 'int', '--seed', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Interrupt once every region's processes are recorded (3 × redis + node, plus Toxiproxy).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const f = pidFileOf(store);
      if (f && existsSync(f) && readPidFile(f).length >= 7) break;
      if (Date.now() > deadline) throw new Error(`run never came up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1500));
    child.kill(signal);
    const code = await exited;
    await new Promise((r) => setTimeout(r, 300));
    const pidFile = pidFileOf(store)!;
    const groups = readPidFile(pidFile).map((r) => r.pgid);
    const runDir = dirname(pidFile);
    const runJson = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    const rendered = spawnSync(process.execPath, [RIFT, 'report', runDir], { encoding: 'utf8', timeout: 120_000 });
    const resultsFile = join(runDir, 'results.json');
    const report = {
      code: rendered.status,
      output: rendered.stdout + rendered.stderr,
      html: existsSync(join(runDir, 'report.html')),
      results: existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined,
    };
    return { code, groups, output, runJson, report };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

describe('an interrupted run (integration)', function () {
  this.timeout(120_000);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`leaves no process behind after ${signal}`, async () => {
      const r = await interrupted(signal);
      assert.ok(r.groups.length >= 7, `expected the run to have started its processes: ${r.output}`);
      // SIGKILLed processes take a moment to be reaped (in netns isolation, through their namespace's init): allow a
      // few seconds, then none may be left.
      const deadline = Date.now() + 5_000;
      while (r.groups.some(groupAlive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      for (const g of r.groups) assert.equal(groupAlive(g), false, `process group ${g} survived ${signal}`);
      assert.equal(r.code, code, r.output);
      // The run says how it ended, and can still be checked and reported from the history it left.
      assert.equal(r.runJson.status, 'interrupted', JSON.stringify(r.runJson));
      assert.equal(r.runJson.exitCode, code);
      assert.match(r.runJson.rerun ?? '', /^npx rift run .*--seed 1( |$)/);
      assert.equal(r.report.code, 0, r.report.output);
      assert.ok(r.report.html, r.report.output);
      assert.ok(r.report.results && ['unknown', true, false].includes(r.report.results.valid as never), r.report.output);
    });
  }
});
