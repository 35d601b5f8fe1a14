import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffRuns, renderDiffText, type DiffInput } from '../../../harness/store/diff.ts';
import { readRunRecord } from '../../../harness/store/run-record.ts';
import { makeRun } from './fixture.ts';

const RIFT = resolve('bin/rift.mjs');

const run = (over: Partial<DiffInput>): DiffInput => ({
  id: 'p/1', name: 'p', verdict: 'pass', startedAt: '2026-01-01T00:00:00.000Z',
  spec: { target: 'local', seed: '1', rate: '50' },
  verdicts: { verdict: { value: 'pass' }, 'checker: set': { value: 'valid', reason: 'none lost' }, 'checker: stats': { value: 'valid', reason: '90 ops' } },
  figures: { durationS: 10, latencyP99Ms: 20, availabilityOutside: 0.99, achievedRate: 50 },
  ...over,
});

describe('rift diff', () => {
  it('names the options, verdicts and figures that changed, and which way each figure moved', () => {
    const a = run({});
    const b = run({
      id: 'p/2', verdict: 'fail', spec: { target: 'local', seed: '2', rate: '50', bugs: 'ack-before-write' },
      verdicts: { verdict: { value: 'fail' }, 'checker: set': { value: 'invalid', reason: '3 lost' }, 'checker: stats': { value: 'valid', reason: '95 ops' } },
      figures: { durationS: 10, latencyP99Ms: 35.5, availabilityOutside: 0.9, convergenceP99S: 2 },
    });
    const d = diffRuns(a, b);
    assert.deepEqual(d.spec.filter((r) => r.changed).map((r) => [r.key, r.a, r.b]), [['seed', '1', '2'], ['bugs', undefined, 'ack-before-write']]);
    assert.deepEqual(d.verdicts.filter((r) => r.changed).map((r) => [r.key, r.a, r.b, r.reasonB]), [['verdict', 'pass', 'fail', undefined], ['checker: set', 'valid', 'invalid', '3 lost']]);
    assert.ok(!d.verdicts.find((r) => r.key === 'checker: stats')!.changed, 'a new reason alone is no change of verdict');
    const fig = Object.fromEntries(d.figures.map((f) => [f.key, f]));
    assert.deepEqual([fig.durationS.changed, fig.durationS.delta], [false, undefined]);
    assert.deepEqual([fig.latencyP99Ms.a, fig.latencyP99Ms.b, fig.latencyP99Ms.delta, fig.latencyP99Ms.direction], ['20 ms', '35.5 ms', '+15.5 ms', 'worse']);
    assert.deepEqual([fig.availabilityOutside.b, fig.availabilityOutside.delta, fig.availabilityOutside.direction], ['90.0%', '−9.0%', 'worse']);
    assert.deepEqual([fig.achievedRate.b, fig.achievedRate.changed, fig.achievedRate.delta], [undefined, true, undefined], 'a figure one run lacks is shown missing, with no change computed');
    assert.deepEqual([fig.convergenceP99S.a, fig.convergenceP99S.b], [undefined, '2 s']);
    const text = renderDiffText(d);
    assert.match(text, /^runs:\n {2}A {2}p\/1 {2}pass {2}seed 1/);
    assert.match(text, /spec: 2 of 4 options differ\n {2}seed +1 {2}→ {2}2\n {2}bugs +\(absent\) {2}→ {2}ack-before-write/);
    assert.match(text, /verdicts: 2 of 3 differ\n {2}verdict: pass {2}→ {2}fail\n {2}checker: set: valid {2}→ {2}invalid\n {6}A: none lost\n {6}B: 3 lost/);
    assert.match(text, /latency p99 +20 ms +→ {2}35\.5 ms {2}\(\+15\.5 ms, worse\)/);
  });

  it('says when two runs are alike', () => {
    const text = renderDiffText(diffRuns(run({}), run({ id: 'p/2' })));
    assert.match(text, /spec: the same 3 options\nverdicts: the same 3\nfigures: 0 of 4 differ/);
  });

  describe('the command', function () {
    this.timeout(60_000);
    let store: string;
    let a: string;
    let b: string;
    before(() => {
      store = mkdtempSync(join(tmpdir(), 'rift-diff-'));
      a = makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1, latencyP99Ms: 10 });
      b = makeRun(store, { name: 'p', ts: '2026-01-02T010000Z', seed: 2, exitCode: 1, latencyP99Ms: 30 });
    });
    after(() => rmSync(store, { recursive: true, force: true }));
    const rift = (...args: string[]) => spawnSync(process.execPath, [RIFT, 'diff', ...args], { encoding: 'utf8', timeout: 30_000 });

    it('takes run folders or run.json files, prints the diff and writes a page linking both reports', () => {
      const out = join(store, 'pages', 'd.html');
      mkdirSync(join(store, 'pages'));
      const r = rift(a, join(b, 'run.json'), '--out', out);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /A {2}p\/2026-01-01T010000Z {2}pass {2}seed 1/);
      assert.match(r.stdout, /verdict: pass {2}→ {2}fail/);
      assert.match(r.stdout, /latency p99 +10 ms +→ {2}30 ms {2}\(\+20 ms, worse\)/);
      const page = readFileSync(out, 'utf8');
      assert.match(page, /<a href="\.\.\/p\/2026-01-01T010000Z\/report\.html">p\/2026-01-01T010000Z<\/a>/);
      assert.match(page, /<table class="diff" id="diff-verdicts">/);
      assert.doesNotMatch(page, /<script/, 'the diff page needs no script');
    });

    it('agrees with the records it read', () => {
      const d = diffRuns(readRunRecord(a), readRunRecord(b));
      assert.ok(d.verdicts.some((r) => r.key === 'promise: acknowledged adds kept on set/*' && r.a === 'kept' && r.b === 'broken'));
    });

    it('refuses usage errors with 64 and runs it cannot read with 65, naming them', () => {
      const one = rift(a);
      assert.equal(one.status, 64);
      assert.match(one.stderr, /expected two runs, RUN_A and RUN_B \(got 1\)/);
      assert.equal(rift(a, b, '--out', 'x.txt').status, 64);
      assert.equal(rift(a, b, '--frob').status, 64);
      const missing = rift(a, join(store, 'nope'));
      assert.equal(missing.status, 65);
      assert.match(missing.stderr, /nope: no such file or directory/);
      writeFileSync(join(store, 'p', '2026-01-02T010000Z', 'run.json'), '{');
      const torn = rift(a, b);
      assert.equal(torn.status, 65);
      assert.match(torn.stderr, /run\.json does not parse/);
      assert.equal(rift('--help').status, 0);
      assert.match(rift('--help').stdout, /^rift diff RUN_A RUN_B \[--out FILE\.html\]/);
    });
  });
});
