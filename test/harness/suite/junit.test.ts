import { strict as assert } from 'node:assert';
import { renderSuiteJUnit, classSegment } from '../../../harness/suite/junit.ts';
import { renderSuitePage } from '../../../harness/suite/page.ts';
import type { SuiteSummary, SuiteRunSummary } from '../../../harness/suite/summary.ts';

const run = (project: string, seed: number, over: Partial<SuiteRunSummary> = {}): SuiteRunSummary => ({
  project, seed, status: 'passed', rerun: `npx rift run --name ${project} --seed ${seed}`, dir: `/s/${project}/1`, report: `/s/${project}/1/report.html`, durationMs: 2000,
  gates: [{ gate: 'contract', passed: true, threshold: 'kept', actual: 'kept', message: 'every one of 1 promises was kept' }],
  checkers: { 'set [set/*]': { valid: true, promised: true }, 'convergence [set/*]': { valid: true, promised: true }, 'convergence [set-*]': { valid: true, promised: true }, stats: { valid: false, promised: false, reason: 'x' } },
  ...over,
});
const summary = (runs: SuiteRunSummary[]): SuiteSummary => ({
  suite: 'certify', config: '/c/rift.config.ts', startedAt: '2026-12-07T01:00:00.000Z', finishedAt: '2026-12-07T01:01:00.000Z', durationMs: 60000,
  parallel: 1, bugs: [], status: 'failed', exitCode: 1, counts: { passed: 1, failed: 1, unknown: 0, error: 1, skipped: 1 }, runs,
});

const failedRun = run('set-kill', 3, {
  status: 'failed',
  gates: [{ gate: 'availability outside faults', passed: false, threshold: '≥ 90%', actual: '87.5%', message: '28 of 32 client operations outside fault windows completed ok (87.5%, at least 90% required)' }],
  checkers: { 'set [set/*]': { valid: false, promised: true, reason: '2 acknowledged adds lost' } },
});

describe('suite JUnit', () => {
  const xml = renderSuiteJUnit(summary([run('set-one', 3), run('set-one', 4), failedRun, run('etcd', 5, { status: 'error', error: 'etcd did not start', gates: [], checkers: {} }), run('late', 6, { status: 'skipped', error: 'not started: budget', gates: [], checkers: {} })]));
  const cases = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => ({ name: m[1], classname: m[2] }));

  it('has one testsuite per project, with counts that add up', () => {
    assert.deepEqual([...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1]), ['rift.set-one', 'rift.set-kill', 'rift.etcd', 'rift.late']);
    assert.match(xml, /<testsuites name="rift.certify" tests="14" failures="2" errors="1" skipped="1"/);
    assert.match(xml, /<testsuite name="rift.set-kill" tests="2" failures="2" errors="0" skipped="0"/);
  });

  it('classnames are rift.<project>.<checker>, and every (classname, name) pair is unique', () => {
    assert.ok(cases.some((c) => c.classname === 'rift.set-one.set-set' && c.name === 'seed 3'));
    assert.ok(cases.some((c) => c.classname === 'rift.set-one.gates' && c.name === 'contract (seed 4)'));
    const keys = cases.map((c) => `${c.classname}|${c.name}`);
    assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
    assert.equal(classSegment('convergence [register/*]'), 'convergence-register');
  });

  it('failure messages are sentences that end with the rerun command', () => {
    const messages = [...xml.matchAll(/<(failure|error) message="([^"]*)"/g)].map((m) => m[2]);
    assert.equal(messages.length, 3);
    assert.ok(messages.includes('The availability outside faults gate failed for set-kill with seed 3: 28 of 32 client operations outside fault windows completed ok (87.5%, at least 90% required). Rerun it alone with: npx rift run --name set-kill --seed 3'), messages.join('\n'));
    assert.ok(messages.some((m) => /^set \[set\/\*\] found anomalies in the set-kill run with seed 3: 2 acknowledged adds lost\. Rerun it alone with: npx rift run/.test(m)));
    assert.ok(messages.some((m) => /^The etcd run with seed 5 did not finish: etcd did not start\. Rerun/.test(m)));
    for (const m of messages) assert.ok(!m.includes('\n'), 'one line, no JSON');
  });

  it('a measurement never fails, whatever its verdict', () => {
    assert.match(xml, /<testcase name="seed 3" classname="rift.set-one.stats" time="0.000"><system-out>stats: anomalies found \(a measurement, never failing the run\)/);
  });

  it('the suite page has the gate table with each run\'s figure and a link to its report', () => {
    const html = renderSuitePage(summary([run('set-one', 3), failedRun]), '/s/suites/certify/1');
    assert.match(html, /<th>contract<\/th><th>availability outside faults<\/th>/);
    assert.match(html, /<td class="fail" title="28 of 32[^"]*">87.5% <small>\(≥ 90%\)<\/small><\/td>/);
    assert.match(html, /<a href="..\/..\/..\/set-one\/1\/report.html">report<\/a>/);
    assert.doesNotMatch(html, /<script|<link|src=/, 'self-contained');
  });
});
