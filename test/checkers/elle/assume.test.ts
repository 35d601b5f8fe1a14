import { strict as assert } from 'node:assert';
import { checkListAppend, checkRwRegister, rwRegisterChecker } from '../../../checkers/elle/index.ts';
import { assumedVersionOrder, INIT } from '../../../checkers/elle/key-order.ts';
import { collectTxns } from '../../../checkers/elle/txns.ts';
import type { CheckResult } from '../../../harness/core/checker.ts';
import { TxnHistory } from './builder.ts';

const types = (r: CheckResult): string[] => r.anomalyTypes as string[];

/**
 * T1 writes x=1 and completes; then T2 writes x=2 and y=2 blindly; T3, concurrent with both, reads x=1 and y=2.
 * Blind writes leave 1 and 2 unordered, so nothing is wrong, unless x is linearizable: then 1 precedes 2, T3's read
 * of 1 was overwritten by T2 (rw) while it saw T2's y (wr), a G-single-item.
 */
function readSkewNeedingOrder(t2Process: number) {
  return new TxnHistory()
    .invoke(2, [['r', 'x', 1], ['r', 'y', 2]])
    .txn(0, [['w', 'x', 1]])
    .txn(t2Process, [['w', 'x', 2], ['w', 'y', 2]])
    .ok(2)
    .build();
}

describe('elle rw-register: --assume linearizable-keys / sequential-keys', () => {
  it('without an assumption, blind writes are unordered and the history is serializable', async () => {
    const r = await checkRwRegister(readSkewNeedingOrder(1), { consistencyModels: ['serializable'] });
    assert.equal(r.valid, true, JSON.stringify(types(r)));
  });

  it('linearizable-keys orders x=1 before x=2 by real time, exposing G-single-item', async () => {
    const r = await checkRwRegister(readSkewNeedingOrder(1), { consistencyModels: ['serializable'], assume: ['linearizable-keys'] });
    assert.equal(r.valid, false);
    assert.deepEqual(types(r), ['G-single-item']);
    assert.deepEqual(r.assumptions, ['linearizable-keys']);
    const steps = (r.anomalies as Record<string, { steps: { rel: string; key: string }[] }[]>)['G-single-item'][0].steps;
    assert.deepEqual(steps.map((s) => `${s.rel} ${s.key}`).sort(), ['rw x', 'wr y']);
  });

  it('sequential-keys orders versions only along a process: another process gives nothing, the same one does', async () => {
    const other = await checkRwRegister(readSkewNeedingOrder(1), { consistencyModels: ['serializable'], assume: ['sequential-keys'] });
    assert.equal(other.valid, true);
    const same = await checkRwRegister(readSkewNeedingOrder(0), { consistencyModels: ['serializable'], assume: ['sequential-keys'] });
    assert.deepEqual(types(same), ['G-single-item']);
  });

  it('a process that reads x=1 and later x=null contradicts sequential keys: cyclic-versions naming the source', async () => {
    const h = new TxnHistory().txn(0, [['w', 'x', 1]]).txn(1, [['r', 'x', 1]]).txn(1, [['r', 'x', null]]).build();
    const r = await checkRwRegister(h, { consistencyModels: ['read-uncommitted'], assume: ['sequential-keys'] });
    assert.equal(r.valid, false);
    const c = (r.anomalies as Record<string, { key: string; versions: unknown[]; sources: string[] }[]>)['cyclic-versions'][0];
    assert.equal(c.key, 'x');
    assert.deepEqual(c.sources, ['initial-state', 'sequential-keys']);
    assert.deepEqual([...c.versions].sort(), [1, null].sort());
  });

  it('version pairs: process order links a key\'s last version in a transaction to its first in the next', () => {
    const h = new TxnHistory()
      .txn(0, [['r', 'x', null], ['w', 'x', 1]])
      .txn(0, [['r', 'x', 1], ['w', 'x', 2]])
      .txn(1, [['w', 'x', 3]])
      .txn(0, [['r', 'x', 3]])
      .txn(2, [['r', 'x', 2]])
      .build();
    const { txns } = collectTxns(h, 'rw-register');
    // Process 0 met 1 last and 1 first next (no pair), then 2 last and 3 first; process 2 has one transaction.
    assert.deepEqual(assumedVersionOrder(txns, 'sequential-keys').get('x'), [[2, 3]]);
    // Real time relates each transaction to its nearest predecessor on x, whatever the process.
    assert.deepEqual(assumedVersionOrder(txns, 'linearizable-keys').get('x'), [[2, 3], [3, 2]]);
    assert.ok(!assumedVersionOrder(txns, 'linearizable-keys').get('x')!.some(([a]) => a === INIT));
  });

  it('unknown assumptions are refused, and list-append refuses any', async () => {
    assert.throws(() => rwRegisterChecker({ assume: ['causal-keys' as never] }), /unknown assumption "causal-keys"; known: sequential-keys, linearizable-keys/);
    await assert.rejects(checkListAppend([], { assume: ['linearizable-keys'] }), /applies to rw-register only/);
  });
});
