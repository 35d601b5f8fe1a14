import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Results } from '../../../harness/core/checker.ts';
import { judgeGates, percentile, type RunFacts } from '../../../harness/suite/gates.ts';
import { statusOf, suiteStatus, type SuiteRunSummary } from '../../../harness/suite/summary.ts';

const results = (over: Partial<Results> = {}, checkers: Results['checkers'] = {}): Results => ({
  valid: true,
  checkers: {
    'set [set/*]': { valid: true },
    'convergence [set/*]': { valid: true, windows: [{ status: 'converged', upperMs: 1200 }, { status: 'converged', upperMs: 800 }, { status: 'never-healed' }] },
    availability: { valid: true, overall: { outside: { ok: 90, total: 100, fraction: 0.9 }, inside: { ok: 1, total: 2, fraction: 0.5 } } },
    ...checkers,
  },
  contract: { target: 'local', valid: true, lines: [{ property: 'acknowledged adds kept', checker: 'set [set/*]', scope: 'set/*', kept: true }] },
  measurements: [],
  ...over,
});
const facts: RunFacts = { nemesis: ['kill', 'partition-isolate'], faults: [{ kind: 'kill', target: 'us-east', asked: 2, tookEffect: 1, failed: 1 }, { kind: 'partition', target: 'isolate clean', asked: 1, tookEffect: 1, failed: 0 }], load: { askedRate: 100, achievedRate: 40 } };
const all = { contract: true, faultCoverage: true, convergenceP99S: 2, availabilityOutside: 0.9, minRate: 40 };
const byGate = (vs: ReturnType<typeof judgeGates>) => Object.fromEntries(vs.map((v) => [v.gate, v]));

describe('suite gates', () => {
  it('a run meeting every threshold passes every gate (thresholds are inclusive)', () => {
    const vs = judgeGates(all, results(), facts);
    assert.deepEqual(vs.map((v) => [v.gate, v.passed]), [['contract', true], ['fault coverage', true], ['convergence p99', true], ['availability outside faults', true], ['achieved rate', true]]);
    assert.equal(statusOf(vs), 'passed');
  });

  it('each gate fails alone on its own figure, saying why in a sentence', () => {
    const g = (r: Results, f: RunFacts = facts) => byGate(judgeGates(all, r, f));
    const broken = g(results({ valid: false, contract: { target: 'local', valid: false, lines: [{ property: 'acknowledged adds kept', checker: 'set [set/*]', scope: 'set/*', kept: false }] } }, { 'set [set/*]': { valid: false, reason: '3 adds lost' } }));
    assert.equal(broken.contract.passed, false);
    assert.match(broken.contract.message, /broken: acknowledged adds kept on set\/\* \(set \[set\/\*\]: 3 adds lost\)/);
    const uncovered = g(results(), { ...facts, faults: [{ kind: 'kill', target: 'us-east', asked: 2, tookEffect: 0, failed: 2 }] });
    assert.equal(uncovered['fault coverage'].passed, false);
    assert.match(uncovered['fault coverage'].message, /never took effect: kill, partition-isolate/);
    const paths = { nemesis: ['failpoint-paxos', 'failpoint-replication'], faults: [{ kind: 'failpoint', target: 'eu-west', asked: 1, tookEffect: 1, failed: 0 }] };
    assert.equal(g(results(), paths)['fault coverage'].passed, true, 'a failpoint path is covered by the failpoints it armed');
    assert.equal(g(results(), { ...paths, faults: [{ kind: 'failpoint', target: 'eu-west', asked: 1, tookEffect: 0, failed: 1 }] })['fault coverage'].passed, false);
    const slow = g(results({}, { 'convergence [set/*]': { valid: true, windows: [{ status: 'converged', upperMs: 2500 }] } }));
    assert.equal(slow['convergence p99'].passed, false);
    assert.equal(slow['convergence p99'].actual, '2.5 s');
    const stuck = g(results({}, { 'convergence [set/*]': { valid: true, windows: [{ status: 'not-converged' }] } }));
    assert.equal(stuck['convergence p99'].passed, false);
    const down = g(results({}, { availability: { valid: true, overall: { outside: { ok: 89, total: 100, fraction: 0.89 } } } }));
    assert.equal(down['availability outside faults'].passed, false);
    assert.match(down['availability outside faults'].message, /89 of 100 client operations/);
    const slowRate = g(results(), { ...facts, load: { achievedRate: 39.9 } });
    assert.equal(slowRate['achieved rate'].passed, false);
  });

  it('a figure the run did not measure is unknown, never a pass', () => {
    const vs = byGate(judgeGates(all, results({}, { 'convergence [set/*]': { valid: true }, availability: { valid: 'unknown' } }), { nemesis: [] }));
    assert.equal(vs['convergence p99'].passed, 'unknown');
    assert.equal(vs['availability outside faults'].passed, 'unknown');
    assert.equal(vs['achieved rate'].passed, 'unknown');
    assert.equal(vs['fault coverage'].passed, true, 'no faults requested: nothing to cover');
    assert.equal(statusOf(Object.values(vs)), 'unknown');
  });

  it('only the gates a project sets are judged; contract and coverage can be switched off', () => {
    assert.deepEqual(judgeGates({ contract: false, faultCoverage: false, minRate: 1 }, results(), facts).map((v) => v.gate), ['achieved rate']);
    assert.deepEqual(judgeGates({}, results(), facts).map((v) => v.gate), ['contract', 'fault coverage']);
  });

  it('a run without a contract (a user\'s own target) passes the contract gate only when every checker is valid', () => {
    const own = { valid: false as const, checkers: { mine: { valid: false as const, reason: 'lost a write' }, other: { valid: true as const } } };
    const [v] = judgeGates({ faultCoverage: false }, own, {});
    assert.equal(v.passed, false);
    assert.match(v.message, /not valid: mine \(lost a write\)/);
  });

  it('percentile is nearest-rank: the p99 of n values is never below 99% of them', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
      const p = percentile(xs, 99);
      assert.ok(xs.includes(p));
      assert.ok(xs.filter((x) => x <= p).length >= 0.99 * xs.length);
    }));
  });

  it('the suite exit code: a failed gate 1, else an unfinished run 70, else unknown 2, else 0; skipped runs do not count', () => {
    const r = (status: SuiteRunSummary['status']): SuiteRunSummary => ({ project: 'p', seed: 1, status, rerun: '', gates: [], checkers: {} });
    assert.deepEqual(suiteStatus([r('passed'), r('skipped')]), { status: 'passed', exitCode: 0 });
    assert.deepEqual(suiteStatus([r('passed'), r('unknown')]), { status: 'unknown', exitCode: 2 });
    assert.deepEqual(suiteStatus([r('unknown'), r('error')]), { status: 'error', exitCode: 70 });
    assert.deepEqual(suiteStatus([r('error'), r('failed'), r('passed')]), { status: 'failed', exitCode: 1 });
  });
});
