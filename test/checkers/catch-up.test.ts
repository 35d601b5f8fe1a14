import { strict as assert } from 'node:assert';
import { catchUpFinding, caughtUp, describeCatchUp, lacking } from '../../checkers/catch-up.ts';
import { checkConvergence } from '../../checkers/convergence.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const R = ['a', 'b', 'c'];
let t = 0;
let proc = 0;
const digest = (region: string, applied: Record<string, number> | null, type: 'ok' | 'info' = 'ok'): Op[] => {
  const process = proc++;
  const meta = { probe: true, catchUp: { timeoutMs: 5000 } };
  return [
    { type: 'invoke', process, f: 'digest', value: null, time: (t += 1e6), region, meta },
    { type, process, f: 'digest', value: applied ? { digest: 'x', applied } : null, time: (t += 1e6), region, meta },
  ];
};
const write = (key: string, value: unknown, region: string): Op[] => {
  const process = proc++;
  return [
    { type: 'invoke', process, f: 'write', key, value, time: (t += 1e6), region },
    { type: 'ok', process, f: 'write', key, value, time: (t += 1e6), region },
  ];
};
const final = (key: string, value: unknown, region: string): Op[] => {
  const process = proc++;
  return [
    { type: 'invoke', process, f: 'read', key, value: null, time: (t += 1e6), region, meta: { final: true } },
    { type: 'ok', process, f: 'read', key, value, time: (t += 1e6), region, meta: { final: true } },
  ];
};

describe('checkers/catch-up', () => {
  it('lacking: entries each region has not applied, against each origin\'s own head', () => {
    const latest = new Map([['a', { a: 10, b: 4 }], ['b', { a: 7, b: 5 }], ['c', { a: 10, b: 5 }]]);
    assert.deepEqual(lacking(R, latest), { a: { b: 1 }, b: { a: 3 } });
    assert.equal(caughtUp(R, latest), false);
    assert.equal(caughtUp(R, new Map([['a', { a: 10, b: 5 }], ['b', { a: 10, b: 5 }], ['c', { a: 10, b: 5 }]])), true);
  });

  it('a region that did not answer is not caught up; the origin head falls back to the highest mark seen', () => {
    const latest = new Map<string, Record<string, number> | undefined>([['a', { a: 3, c: 9 }], ['b', { a: 3, c: 8 }], ['c', undefined]]);
    assert.deepEqual(lacking(R, latest), { b: { c: 1 } });
    assert.equal(caughtUp(R, latest), false);
  });

  it('finding: from the last catch-up digest of each region, described with what each lacks', () => {
    const h = indexOps([...digest('a', { a: 2, b: 0 }), ...digest('b', { a: 1, b: 0 }), ...digest('b', { a: 1, b: 0 }), ...digest('c', null, 'info')]);
    const f = catchUpFinding(h, R)!;
    assert.equal(f.converged, false);
    assert.deepEqual(f.lacking, { b: { a: 1 } });
    assert.deepEqual(f.unanswered, ['c']);
    assert.equal(describeCatchUp(f), 'did not converge within 5 s: b lacks 1 entry from a; c did not answer');
    assert.equal(catchUpFinding(indexOps(final('k', 1, 'a'))), undefined, 'no catch-up phase, no finding');
  });

  it('convergence: a region that never caught up is its own finding, even when the final reads agree', () => {
    const behind = indexOps([...write('k', 1, 'a'), ...digest('a', { a: 2 }), ...digest('b', { a: 1 }), ...final('k', 1, 'a'), ...final('k', 1, 'b')]);
    const r = checkConvergence(behind, { regions: ['a', 'b'] });
    assert.equal(r.valid, false);
    assert.match(String(r.reason), /^did not converge within 5 s: b lacks 1 entry from a/);
    const caught = indexOps([...write('k', 1, 'a'), ...digest('a', { a: 2 }), ...digest('b', { a: 2 }), ...final('k', 1, 'a'), ...final('k', 1, 'b')]);
    assert.equal(checkConvergence(caught, { regions: ['a', 'b'] }).valid, true);
  });
});
