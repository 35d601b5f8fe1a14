import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiftConfig } from '../../../harness/suite/config.ts';
import type { RunOne } from '../../../harness/suite/run-suite.ts';
import { calibrateSuite, formatSuiteReport, suiteAccepted } from '../../../harness/calibrate/suite-calibration.ts';

const config: RiftConfig = {
  projects: [{ name: 'wide', faults: [], seeds: [1, 2] }, { name: 'focused', faults: [], seeds: [3] }],
  suites: { certify: { projects: ['wide', 'focused'] } },
};

/** Stand-in runs: a switch is red in the runs whose seed `caughtAt` lists for it; the correct layer is green. */
const fakeRuns = (caughtAt: Record<string, number[]>, started: string[]): RunOne => async (args, storeDir) => {
  const bug = args.includes('--bugs') ? args[args.indexOf('--bugs') + 1] : 'correct';
  const seed = Number(args[args.indexOf('--seed') + 1]);
  started.push(`${bug}@${seed}`);
  const valid = !(caughtAt[bug] ?? []).includes(seed);
  return {
    dir: join(storeDir, `${bug}-${seed}`), report: join(storeDir, `${bug}-${seed}`, 'report.html'),
    results: { valid, checkers: { x: { valid } }, contract: { target: 'local', valid, lines: [{ property: 'p', checker: 'x', scope: 'all', kept: valid }] }, measurements: [] },
    facts: { nemesis: [], faults: [] },
  };
};

describe('calibrate/suite-calibration', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-suitecal-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the suite once whole on the correct layer, then per switch up to its first red run', async () => {
    const started: string[] = [];
    const report = await calibrateSuite({
      config, configFile: join(dir, 'rift.config.ts'), suite: 'certify', bugs: ['early', 'late'], store: dir,
      runOne: fakeRuns({ early: [1], late: [3] }, started),
    });
    assert.deepEqual(started, ['correct@1', 'correct@2', 'correct@3', 'early@1', 'late@1', 'late@2', 'late@3']);
    assert.deepEqual(report.rows.map((r) => [r.bug, r.exitCode, r.caughtBy]), [[undefined, 0, undefined], ['early', 1, 'wide seed 1'], ['late', 1, 'focused seed 3']]);
    assert.ok(suiteAccepted(report));
    assert.match(formatSuiteReport(report), /ACCEPTED: certify exits 1 with every switch/);
  });

  it('a switch no run catches, or a red correct layer, is not accepted and is marked', async () => {
    const report = await calibrateSuite({
      config, configFile: join(dir, 'rift.config.ts'), suite: 'certify', bugs: ['missed'], store: dir,
      runOne: fakeRuns({ correct: [2] }, []),
    });
    assert.ok(!suiteAccepted(report));
    const text = formatSuiteReport(report);
    assert.match(text, /missed\s+0 .*<< expected exit 1/);
    assert.match(text, /correct layer \(all runs\)\s+1 .*wide seed 2  << expected exit 0/);
    assert.match(text, /NOT ACCEPTED/);
  });
});
