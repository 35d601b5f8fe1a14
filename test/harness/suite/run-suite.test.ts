import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiftConfig } from '../../../harness/suite/config.ts';
import { runSuite, type RunOne } from '../../../harness/suite/run-suite.ts';
import type { SuiteSummary } from '../../../harness/suite/summary.ts';

const config: RiftConfig = {
  projects: [{ name: 'a', faults: [], seeds: [1, 2, 3] }, { name: 'b', faults: [], seeds: [4] }],
  suites: { all: { projects: ['a', 'b'] }, budget: { projects: ['a', 'b'], budgetS: 1 } },
};

/** A stand-in for real runs: valid unless the seed is listed as failing; throws for seed 666. */
const fakeRuns = (failing: number[] = [], record: string[][] = [], delayMs = 0): RunOne => async (args, storeDir) => {
  record.push(args);
  await new Promise((r) => setTimeout(r, delayMs));
  const seed = Number(args[args.indexOf('--seed') + 1]);
  if (seed === 666) throw new Error('toxiproxy did not start');
  const valid = !failing.includes(seed);
  return {
    dir: join(storeDir, `run-${seed}`), report: join(storeDir, `run-${seed}`, 'report.html'),
    results: { valid, checkers: { set: { valid, reason: valid ? 'fine' : 'lost adds' } }, contract: { target: 'local', valid, lines: [{ property: 'adds kept', checker: 'set', scope: 'all keys', kept: valid }] }, measurements: [] },
    facts: { nemesis: [], faults: [] },
  };
};

describe('running a suite (with stand-in runs)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-suite-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const base = () => ({ config, configFile: join(dir, 'rift.config.ts'), log: () => undefined });

  it('runs every planned run, writes summary.json, junit.xml and index.html, and exits 0 when all pass', async () => {
    const record: string[][] = [];
    const out = await runSuite({ ...base(), suite: 'all', runOne: fakeRuns([], record) });
    assert.equal(out.summary.exitCode, 0);
    assert.deepEqual(record.map((a) => a[a.indexOf('--seed') + 1]), ['1', '2', '3', '4']);
    const onDisk = JSON.parse(readFileSync(out.paths.summary, 'utf8')) as SuiteSummary;
    assert.deepEqual(onDisk.counts, { passed: 4, failed: 0, unknown: 0, error: 0, skipped: 0 });
    assert.ok(out.outDir.startsWith(join(dir, 'store', 'suites', 'all')), out.outDir);
    assert.ok(existsSync(out.paths.junit) && existsSync(out.paths.page));
  });

  it('one failing run makes the suite exit 1; a run that throws is an error, not a crash of the suite', async () => {
    const out = await runSuite({ ...base(), suite: 'all', runOne: fakeRuns([2]), outDir: join(dir, 'o') });
    assert.equal(out.summary.exitCode, 1);
    assert.deepEqual(out.summary.runs.map((r) => r.status), ['passed', 'failed', 'passed', 'passed']);
    const thrown = await runSuite({ ...base(), config: { ...config, projects: [{ name: 'a', faults: [], seeds: [666] }, config.projects[1]] }, suite: 'all', runOne: fakeRuns(), outDir: join(dir, 'p') });
    assert.equal(thrown.summary.exitCode, 70);
    assert.equal(thrown.summary.runs[0].error, 'toxiproxy did not start');
    assert.equal(thrown.summary.runs[1].status, 'passed');
  });

  it('a shard runs only its runs; --parallel runs several at once, results kept in plan order', async () => {
    const record: string[][] = [];
    const shard = await runSuite({ ...base(), suite: 'all', shard: { index: 2, count: 2 }, runOne: fakeRuns([], record), outDir: join(dir, 's') });
    assert.deepEqual(shard.summary.runs.map((r) => r.seed), [2, 4]);
    let inFlight = 0;
    let most = 0;
    const counting: RunOne = async (args, store, log) => {
      most = Math.max(most, ++inFlight);
      try { return await fakeRuns([], [], 20)(args, store, log); } finally { inFlight--; }
    };
    const par = await runSuite({ ...base(), suite: 'all', parallel: 3, runOne: counting, outDir: join(dir, 'q') });
    assert.equal(most, 3);
    assert.deepEqual(par.summary.runs.map((r) => r.seed), [1, 2, 3, 4]);
  });

  it('once the time budget is spent, the runs left are skipped and say so', async () => {
    const out = await runSuite({ ...base(), suite: 'budget', runOne: fakeRuns([], [], 1100), outDir: join(dir, 'b') });
    assert.deepEqual(out.summary.runs.map((r) => r.status), ['passed', 'skipped', 'skipped', 'skipped']);
    assert.match(out.summary.runs[1].error!, /time budget of 1 s/);
    assert.equal(out.summary.exitCode, 0);
  });

  it('--max-failures skips the runs not started after that many failures; the suite still exits 1', async () => {
    const record: string[][] = [];
    const out = await runSuite({ ...base(), suite: 'all', maxFailures: 1, runOne: fakeRuns([2], record), outDir: join(dir, 'm') });
    assert.deepEqual(out.summary.runs.map((r) => r.status), ['passed', 'failed', 'skipped', 'skipped']);
    assert.equal(record.length, 2, 'no run is started after the first failure');
    assert.match(out.summary.runs[2].error!, /1 run had failed \(--max-failures 1\)/);
    assert.equal(out.summary.exitCode, 1);
    assert.equal(out.summary.maxFailures, 1);
    const green = await runSuite({ ...base(), suite: 'all', maxFailures: 1, runOne: fakeRuns(), outDir: join(dir, 'n') });
    assert.deepEqual(green.summary.counts, { passed: 4, failed: 0, unknown: 0, error: 0, skipped: 0 });
  });

  it('--bugs reach the runs of local-target projects', async () => {
    const record: string[][] = [];
    await runSuite({ ...base(), suite: 'all', bugs: ['ack-before-write'], runOne: fakeRuns([], record), outDir: join(dir, 'g') });
    for (const args of record) assert.equal(args[args.indexOf('--bugs') + 1], 'ack-before-write');
  });

  it('an unknown suite is a usage error naming the suites', async () => {
    await assert.rejects(runSuite({ ...base(), suite: 'weekly', runOne: fakeRuns() }), (e: Error & { exitCode: number }) => e.exitCode === 64 && /suites: all, budget/.test(e.message));
  });
});
