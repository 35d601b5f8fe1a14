import { strict as assert } from 'node:assert';
import { applyContract, contractLines } from '../../../harness/contracts/contract.ts';
import { promisesFor, tierOf } from '../../../harness/contracts/promises.ts';
import type { Checker, Results } from '../../../harness/core/checker.ts';
import { scoped } from '../../../checkers/scoped.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import type { Op } from '../../../harness/core/op.ts';

const named = (name: string): Checker => ({ name, check: async () => ({ valid: true }) });
let t = 0;
const op = (key: string, part?: string): Op[] => [
  { type: 'invoke', process: 0, f: 'read', key, value: null, time: (t += 1), ...(part ? { meta: { part } } : {}) },
  { type: 'ok', process: 0, f: 'read', key, value: null, time: (t += 1), ...(part ? { meta: { part } } : {}) },
];

describe('harness/contracts', () => {
  it('tiers: the layer\'s by namespace, one tier elsewhere', () => {
    assert.equal(tierOf('local', 'critical/x'), 'critical');
    assert.equal(tierOf('local', 'hot/x'), 'hot');
    assert.equal(tierOf('local', 'set/x'), 'normal');
    assert.equal(tierOf('etcd', 'critical/x'), 'all');
  });

  it('promises: critical is linearizable, normal is not; redis replication promises only convergence', () => {
    const names = (target: string, tiers: string[]) => promisesFor(target, new Set(tiers as never[])).map((p) => p.checker);
    assert.deepEqual(names('local', ['critical']), ['linearizable']);
    assert.ok(!names('local', ['normal']).includes('linearizable'));
    assert.ok(names('local', ['normal']).includes('session-guarantees'));
    assert.deepEqual(names('redis-replication', ['all']), ['convergence']);
    assert.ok(names('etcd', ['all']).includes('linearizable'));
    assert.deepEqual(names('local', ['critical', 'normal']), [], 'keys of two tiers: only what both promise');
    assert.deepEqual(names('nobody', ['all']), []);
  });

  it('lines: each checker is held to the promises of the keys it judged, scoped checkers by their part', () => {
    const h = indexOps([...op('critical/r/k0', 'c'), ...op('register/k0', 'n')]);
    const checkers = [
      scoped(named('linearizable'), 'c', 'critical/r/*'),
      scoped(named('linearizable'), 'n', 'register/*'),
      scoped(named('convergence'), 'n', 'register/*'),
      named('stats'),
    ];
    const names = checkers.map((c) => c.name);
    const lines = contractLines('local', checkers, names, h, 'all keys');
    assert.deepEqual(lines.map((l) => [l.checker, l.scope]), [
      ['linearizable [critical/r/*]', 'critical/r/*'],
      ['convergence [register/*]', 'register/*'],
    ]);
  });

  it('a part that made no operation still owes its tier\'s promises (by its key prefix)', () => {
    const idle = scoped(named('linearizable'), 'c', 'critical/r/*', 'critical/r/');
    const lines = contractLines('local', [idle], [idle.name], indexOps([]), 'all keys');
    assert.deepEqual(lines.map((l) => l.checker), ['linearizable [critical/r/*]']);
    const whole = contractLines('local', [named('linearizable')], ['linearizable'], indexOps([]), 'critical/*', 'critical/');
    assert.deepEqual(whole.map((l) => l.scope), ['critical/*']);
  });

  it('verdict: every promise kept; a broken measurement never turns it red; a broken promise does', () => {
    const lines = [{ property: 'linearizable', checker: 'linearizable [critical/*]', scope: 'critical/*' }];
    const results: Results = {
      valid: false,
      checkers: { 'linearizable [critical/*]': { valid: true }, 'linearizable [register/*]': { valid: false }, stats: { valid: true } },
    };
    const kept = applyContract('local', lines, results);
    assert.equal(kept.valid, true);
    assert.equal(kept.contract!.valid, true);
    assert.deepEqual(kept.contract!.lines.map((l) => l.kept), [true]);
    assert.deepEqual(kept.measurements, ['linearizable [register/*]', 'stats']);
    const broken = applyContract('local', lines, { ...results, checkers: { ...results.checkers, 'linearizable [critical/*]': { valid: false } } });
    assert.equal(broken.valid, false);
    const undecided = applyContract('local', lines, { ...results, checkers: { ...results.checkers, 'linearizable [critical/*]': { valid: 'unknown' } } });
    assert.equal(undecided.valid, 'unknown');
  });

  it('a contract with no line it could judge proves nothing: unknown, with the reason', () => {
    const r = applyContract('local', [], { valid: true, checkers: { stats: { valid: true } } });
    assert.equal(r.valid, 'unknown');
    assert.match(r.contract!.reason!, /no checker of this run proves a promise/);
  });
});
