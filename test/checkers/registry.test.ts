import { strict as assert } from 'node:assert';
import { checkerNames, createChecker } from '../../checkers/registry.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

const probe = (process: number, region: string, time: number): Op[] => [
  { type: 'invoke', process, f: 'digest', value: null, time, region, meta: { probe: true } },
  { type: 'ok', process, f: 'digest', value: { digest: 'x', applied: { a: 1, b: 1 } }, time: time + 1, region, meta: { probe: true } },
];

// A small run: a register written in a, read everywhere after a heal, with probes throughout.
const history = indexOps([
  ...probe(100, 'a', 0),
  { type: 'invoke', process: 0, f: 'write', key: 'r', value: 1, time: 10, region: 'a' },
  { type: 'ok', process: 0, f: 'write', key: 'r', value: 1, time: 20, region: 'a', meta: { version: '01-a', dot: ['a', 1], vclock: { a: 1 } } },
  { type: 'invoke', process: 'nemesis', f: 'partition', value: null, time: 30 },
  { type: 'info', process: 'nemesis', f: 'partition', value: 'split', time: 31 },
  { type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: 40 },
  { type: 'info', process: 'nemesis', f: 'heal', value: 'healed', time: 41 },
  ...probe(101, 'a', 50),
  ...probe(102, 'b', 52),
  { type: 'invoke', process: 1, f: 'read', key: 'r', value: null, time: 60, region: 'a', meta: { final: true } },
  { type: 'ok', process: 1, f: 'read', key: 'r', value: 1, time: 70, region: 'a', meta: { final: true, version: '01-a', vclock: { a: 1 } } },
  { type: 'invoke', process: 2, f: 'read', key: 'r', value: null, time: 61, region: 'b', meta: { final: true } },
  { type: 'ok', process: 2, f: 'read', key: 'r', value: 1, time: 71, region: 'b', meta: { final: true, version: '01-a', vclock: { a: 1 } } },
]);

describe('checkers/registry', () => {
  it('lists the checkers that exist, including linearizable and Elle', () => {
    const names = checkerNames();
    for (const n of ['convergence', 'counter', 'set', 'session-guarantees', 'causal', 'stats', 'availability', 'linearizable', 'elle-list-append', 'elle-rw-register']) {
      assert.ok(names.includes(n), n);
    }
  });

  it('rejects an unknown name, listing the known ones', async () => {
    await assert.rejects(createChecker('nope'), /unknown checker "nope"; known checkers: .*convergence/);
    await assert.rejects(createChecker('toString'), /unknown checker/);
  });

  it('every registered checker runs on a real-shaped history without crashing', async function () {
    this.timeout(20_000);
    const checkers = await Promise.all(checkerNames().map((n) => createChecker(n, n === 'linearizable' ? { model: 'register', workers: 1 } : {})));
    const r = await composeChecks(checkers, history, { budgetMs: 10_000 });
    for (const [name, res] of Object.entries(r.checkers)) {
      assert.doesNotMatch(String(res.reason ?? ''), /checker crashed/, name);
    }
    assert.equal(r.checkers.linearizable.valid, true, String(r.checkers.linearizable.reason));
    assert.equal(r.checkers.convergence.valid, true, String(r.checkers.convergence.reason));
    assert.equal((r.checkers.convergence.windows as { status: string }[])[0].status, 'converged');
    assert.equal(r.checkers.causal.valid, true, String(r.checkers.causal.reason));
    assert.equal(r.checkers['session-guarantees'].valid, true);
    assert.doesNotThrow(() => JSON.stringify(r));
  });
});
