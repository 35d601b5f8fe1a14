import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientLatency, runFigures } from '../../../harness/store/figures.ts';
import { findRunIds, scanStore } from '../../../harness/store/index-data.ts';
import { verdictOf } from '../../../harness/store/run-record.ts';
import { writeStoreIndex } from '../../../harness/store/write-index.ts';
import { buildTrends } from '../../../harness/store/trends.ts';
import type { IndexedOp } from '../../../harness/core/op.ts';
import { makeRun } from './fixture.ts';

describe('store index data', () => {
  let store: string;
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'rift-index-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('finds every run folder holding a run.json, and nothing else (latest, suites, stray folders)', () => {
    makeRun(store, { name: 'set-kill', ts: '2026-01-01T010000Z', seed: 1 });
    makeRun(store, { name: 'set-kill', ts: '2026-01-02T010000Z', seed: 2 });
    makeRun(store, { name: 'other', ts: '2026-01-03T010000Z', seed: 3 });
    symlinkSync('other/2026-01-03T010000Z', join(store, 'latest'));
    mkdirSync(join(store, 'suites', 'nightly', '2026-01-03T010000Z'), { recursive: true });
    mkdirSync(join(store, 'empty', 'x'), { recursive: true });
    assert.deepEqual(findRunIds(store), ['other/2026-01-03T010000Z', 'set-kill/2026-01-01T010000Z', 'set-kill/2026-01-02T010000Z']);
  });

  it('extracts verdict, target, workload, faults, seed, duration, report link, spec, verdicts and figures of each run, newest first', () => {
    makeRun(store, { name: 'set-kill', ts: '2026-01-01T010000Z', seed: 7, convergenceMs: [100, 200, 300, 4000], latencyP99Ms: 31, availability: { inside: 0.5, outside: 0.97 }, achievedRate: 44 });
    makeRun(store, { name: 'set-kill', ts: '2026-01-02T010000Z', seed: 8, exitCode: 1 });
    makeRun(store, { name: 'set-kill', ts: '2026-01-03T010000Z', seed: 9, status: 'interrupted' });
    const index = scanStore(store);
    assert.deepEqual(index.runs.map((r) => [r.id, r.verdict, r.seed]), [
      ['set-kill/2026-01-03T010000Z', 'interrupted', '9'], ['set-kill/2026-01-02T010000Z', 'fail', '8'], ['set-kill/2026-01-01T010000Z', 'pass', '7'],
    ]);
    const r = index.runs[2];
    assert.deepEqual([r.name, r.target, r.workload, r.faults, r.report], ['set-kill', 'local', 'set', ['kill'], 'set-kill/2026-01-01T010000Z/report.html']);
    assert.deepEqual(r.figures, {
      durationS: 12.3, operations: 100, achievedRate: 44, convergenceP50S: 0.2, convergenceP99S: 4, notConverged: 0,
      availabilityInside: 0.5, availabilityOutside: 0.97, latencyP99Ms: 31, faultsTookEffect: 2,
    });
    assert.equal(r.spec.seed, '7');
    assert.equal(r.spec.nemesis, 'kill');
    assert.equal(r.spec['time-limit'], '10');
    assert.deepEqual(r.verdicts['promise: acknowledged adds kept on set/*'], { value: 'kept', reason: 'none lost' });
    assert.deepEqual(index.runs[1].verdicts['checker: set'], { value: 'invalid', reason: '2 lost' });
    assert.deepEqual(index.runs[0].verdicts, { verdict: { value: 'interrupted' } }, 'an interrupted run has no results yet');
    assert.equal(index.runs[0].report, undefined);
    assert.deepEqual(index.runs[0].faults, ['kill'], 'the fault names of a run that never finished come from its spec');
  });

  it('reads a run again only when its files changed, and skips a run.json that does not parse, saying so', () => {
    const dir = makeRun(store, { name: 'a', ts: '2026-01-01T010000Z', seed: 1 });
    makeRun(store, { name: 'b', ts: '2026-01-01T010000Z', seed: 2 });
    writeFileSync(join(store, 'b', '2026-01-01T010000Z', 'run.json'), '{"torn');
    const warnings: string[] = [];
    const first = scanStore(store, undefined, (l) => warnings.push(l));
    assert.deepEqual(first.runs.map((r) => r.id), ['a/2026-01-01T010000Z']);
    assert.match(warnings.join('\n'), /skipped .*b\/2026-01-01T010000Z/);
    // A stale record with the same stamp is reused as is: proof that the files were not read again.
    const stale = { ...first, runs: [{ ...first.runs[0], name: 'from-cache' }] };
    assert.equal(scanStore(store, stale).runs[0].name, 'from-cache');
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...run, seed: 99 }));
    const again = scanStore(store, stale).runs[0];
    assert.deepEqual([again.name, again.seed], ['a', '99']);
  });

  it('lists suite runs with their runs linked, and keeps the figures summary.json holds after a run is gone', () => {
    const kept = makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1, latencyP99Ms: 10 });
    const suiteDir = join(store, 'suites', 'nightly', '2026-01-01T005900Z');
    mkdirSync(suiteDir, { recursive: true });
    writeFileSync(join(suiteDir, 'index.html'), '<!doctype html><title>suite</title>');
    writeFileSync(join(suiteDir, 'summary.json'), JSON.stringify({
      suite: 'nightly', startedAt: '2026-01-01T00:59:00.000Z', durationMs: 60_000, status: 'failed', exitCode: 1,
      runs: [
        { project: 'p', seed: 1, status: 'passed', dir: kept, report: join(kept, 'report.html') },
        { project: 'p', seed: 2, status: 'failed', dir: join(store, 'p', 'pruned'), report: join(store, 'p', 'pruned', 'report.html'), figures: { latencyP99Ms: 55 } },
        { project: 'p', seed: 3, status: 'skipped' },
      ],
    }));
    const index = scanStore(store);
    assert.equal(index.suites.length, 1);
    const s = index.suites[0];
    assert.deepEqual([s.id, s.suite, s.status, s.page], ['suites/nightly/2026-01-01T005900Z', 'nightly', 'failed', 'suites/nightly/2026-01-01T005900Z/index.html']);
    assert.deepEqual(s.runs.map((r) => [r.seed, r.run, r.report, r.figures?.latencyP99Ms]), [
      [1, 'p/2026-01-01T010000Z', 'p/2026-01-01T010000Z/report.html', 10],
      [2, undefined, undefined, 55],
      [3, undefined, undefined, undefined],
    ]);
    const [trend] = buildTrends(index.suites);
    assert.deepEqual([trend.suite, trend.project, trend.slots], ['nightly', 'p', ['2026-01-01T00:59:00.000Z']]);
    const pass = trend.charts.find((c) => c.title === 'pass rate')!.series[0].points;
    assert.deepEqual(pass.map((p) => [p.value, p.href]), [[0.5, 'suites/nightly/2026-01-01T005900Z/index.html']], 'skipped runs do not count');
    const latency = trend.charts.find((c) => c.title === 'latency p99')!.series[0].points;
    assert.deepEqual(latency.map((p) => [p.value, p.href]), [[10, 'p/2026-01-01T010000Z/report.html'], [55, undefined]]);
    assert.ok(latency[0].x < latency[1].x, 'two runs of one night sit side by side in its slot');
  });

  it('writes index.json and a self-contained index.html listing every run', () => {
    makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1 });
    makeRun(store, { name: 'q', ts: '2026-01-02T010000Z', seed: 2, exitCode: 1 });
    const { paths } = writeStoreIndex(store, () => undefined);
    const html = readFileSync(paths.html, 'utf8');
    assert.equal(JSON.parse(readFileSync(paths.json, 'utf8')).runs.length, 2);
    assert.match(html, /<tr data-id="q\/2026-01-02T010000Z" data-name="q" data-verdict="fail" data-target="local" data-workload="set" data-faults="kill" data-seed="2" data-duration="12.3">/);
    assert.match(html, /href="p\/2026-01-01T010000Z\/report.html"/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-/);
    assert.doesNotMatch(html, /<script src|<link rel="stylesheet"|https?:\/\//, 'nothing is fetched');
  });

  it('an escaped value cannot close the embedded data', () => {
    makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1 });
    const runJson = join(store, 'p', '2026-01-01T010000Z', 'run.json');
    writeFileSync(runJson, readFileSync(runJson, 'utf8').replace('"workload": "set"', '"workload": "</script><script>alert(1)</script>"'));
    const html = readFileSync(writeStoreIndex(store, () => undefined).paths.html, 'utf8');
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'only the data and the script elements end');
  });
});

describe('run figures', () => {
  it('verdicts come from the status first, then the exit code', () => {
    assert.equal(verdictOf({ status: 'checked', exitCode: 0 }), 'pass');
    assert.equal(verdictOf({ status: 'checked', exitCode: 1 }), 'fail');
    assert.equal(verdictOf({ status: 'checked', exitCode: 2 }), 'unknown');
    assert.equal(verdictOf({ status: 'failed' }), 'error');
    assert.equal(verdictOf({ status: 'interrupted', exitCode: 143 }), 'interrupted');
    assert.equal(verdictOf({ status: 'running' }), 'running');
  });

  it('prefers the latency of every client operation; an older results.json gives the largest p99 of its kinds', () => {
    const stats = { latencyMs: { read: { p99: 12 }, write: { p99: 40 } } };
    assert.deepEqual(runFigures({}, { checkers: { stats } }), { latencyP99Ms: 40 });
    assert.deepEqual(runFigures({}, { checkers: { stats }, figures: { latencyMs: { count: 3, p50: 5, p95: 20, p99: 30, max: 31 } } }), { latencyP50Ms: 5, latencyP99Ms: 30 });
    assert.deepEqual(runFigures('nonsense', null), {}, 'nothing readable gives no figures, not zeros');
  });

  it('counts windows that never converged, and measures none when no window ended', () => {
    const results = { checkers: { convergence: { windows: [{ status: 'converged', upperMs: 500 }, { status: 'not-converged' }] } } };
    assert.deepEqual(runFigures({}, results), { convergenceP50S: 0.5, convergenceP99S: 0.5, notConverged: 1 });
    assert.deepEqual(runFigures({}, { checkers: { convergence: { windows: [] } } }), {});
  });

  it('client latency leaves probes and operations that did not complete ok out', () => {
    const op = (process: number, type: string, time: number, meta?: Record<string, unknown>): IndexedOp =>
      ({ process, type, f: 'read', value: null, time: time * 1e6, index: 0, line: 0, ...(meta ? { meta } : {}) }) as unknown as IndexedOp;
    const ops = [op(0, 'invoke', 0), op(1, 'invoke', 0, { probe: true }), op(2, 'invoke', 0), op(0, 'ok', 10), op(1, 'ok', 500), op(2, 'fail', 900), op(0, 'invoke', 20), op(0, 'ok', 50)];
    assert.deepEqual(clientLatency(ops), { count: 2, p50: 10, p95: 30, p99: 30, max: 30 });
    assert.equal(clientLatency([]), undefined);
  });
});
