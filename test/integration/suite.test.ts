import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteSummary } from '../../harness/suite/summary.ts';

const RIFT = join(import.meta.dirname, '..', '..', 'bin', 'rift.mjs');

/** A tiny suite of two short local runs, run by the real CLI end to end (real Redis, layer nodes, Toxiproxy). */
const CONFIG = {
  projects: [
    { name: 'tiny-set', workload: 'set', faults: [], regions: ['us-east'], time: { limitS: 3, settleS: 0.5 }, load: { rate: 40 } },
    { name: 'tiny-kill', workload: 'register', faults: ['kill'], regions: ['us-east', 'eu-west'], time: { limitS: 4, settleS: 1, nemesisIntervalS: 1 }, load: { rate: 40 } },
  ],
  suites: { tiny: { projects: ['tiny-set', 'tiny-kill'], seeds: [5], gates: { minRate: 1, availabilityOutside: 0.5 } } },
};

describe('rift suite (integration)', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rift-suite-it-'));
    writeFileSync(join(dir, 'rift.config.mts'), `export default ${JSON.stringify(CONFIG, null, 2)};\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs both projects, judges their gates, exits 0 and writes summary.json, junit.xml and the suite page', () => {
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [RIFT, 'suite', 'tiny', '--out', out], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /suite tiny: PASSED — 2 passed, 0 failed/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SuiteSummary;
    assert.equal(summary.exitCode, 0);
    assert.deepEqual(summary.runs.map((x) => [x.project, x.seed, x.status]), [['tiny-set', 5, 'passed'], ['tiny-kill', 5, 'passed']]);
    const kill = summary.runs[1];
    assert.deepEqual(kill.gates.map((g) => [g.gate, g.passed]), [['contract', true], ['fault coverage', true], ['availability outside faults', true], ['achieved rate', true]]);
    assert.ok(existsSync(kill.report!), 'each run keeps its own report in the store');
    assert.ok(kill.dir!.startsWith(join(dir, 'store', 'tiny-kill')), kill.dir);
    assert.match(kill.rerun, /^npx rift run --name tiny-kill --workload register --nemesis kill --regions us-east,eu-west .*--seed 5$/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    assert.deepEqual([...junit.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1]), ['rift.tiny-set', 'rift.tiny-kill']);
    assert.match(junit, /<testsuites name="rift.tiny" tests="\d+" failures="0" errors="0"/);
    assert.match(junit, /classname="rift.tiny-kill.linearizable"/);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(page, /Suite tiny: <span class="passed">passed<\/span>/);
  });
});
