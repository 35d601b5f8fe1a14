import { strict as assert } from 'node:assert';
import { checkListAppend } from '../../../checkers/elle/index.ts';
import type { CheckResult } from '../../../harness/core/checker.ts';
import { TxnHistory } from './builder.ts';

const types = (r: CheckResult): string[] => r.anomalyTypes as string[];
const first = (r: CheckResult, type: string): Record<string, unknown> => (r.anomalies as Record<string, Record<string, unknown>[]>)[type][0];

describe('elle list-append: known answers', () => {
  it('finds nothing in a serial history and calls it valid', async () => {
    const h = new TxnHistory()
      .txn(0, [['append', 'x', 1], ['r', 'x', [1]]])
      .txn(1, [['r', 'x', [1]], ['append', 'y', 1]])
      .txn(0, [['append', 'x', 2], ['r', 'y', [1]]])
      .txn(1, [['r', 'x', [1, 2]], ['r', 'y', [1]]]);
    const r = await checkListAppend(h.build());
    assert.equal(r.valid, true);
    assert.deepEqual(types(r), []);
    assert.deepEqual(r.not, []);
    assert.equal((r.stats as Record<string, number>).txns, 4);
  });

  it('G0: write cycle between two concurrent transactions', async () => {
    const h = new TxnHistory()
      .invoke(0, [['append', 'x', 1], ['append', 'y', 1]])
      .invoke(1, [['append', 'x', 2], ['append', 'y', 2]])
      .ok(0).ok(1)
      .txn(2, [['r', 'x', [1, 2]], ['r', 'y', [2, 1]]]);
    const r = await checkListAppend(h.build());
    assert.equal(r.valid, false);
    assert.deepEqual(types(r), ['G0']);
    assert.deepEqual(r.not, ['read-uncommitted']);
    const steps = first(r, 'G0').steps as { rel: string; key: string }[];
    assert.deepEqual(steps.map((s) => s.rel), ['ww', 'ww']);
    assert.deepEqual(steps.map((s) => s.key).sort(), ['x', 'y']);
  });

  it('G1a: an ok read shows an aborted append', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]], 'fail').txn(1, [['r', 'x', [1]]]);
    const r = await checkListAppend(h.build());
    // One committed transaction relates to nothing, so Elle also reports an empty graph.
    assert.deepEqual(types(r), ['G1a', 'empty-transaction-graph']);
    assert.deepEqual(r.not, ['read-committed']);
    assert.equal(first(r, 'G1a').element, 1);
    assert.equal((first(r, 'G1a').writer as { line: number }).line, 2);
  });

  it('G1b: a read ends at another transaction\'s intermediate append', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1], ['append', 'x', 2]]).txn(1, [['r', 'x', [1]]]);
    const r = await checkListAppend(h.build());
    assert.ok(types(r).includes('G1b'), JSON.stringify(types(r)));
    assert.equal(first(r, 'G1b').element, 1);
    assert.equal(r.valid, false);
  });

  it('G1c: circular information flow, explained step by step', async () => {
    const h = new TxnHistory()
      .invoke(0, [['append', 'x', 1], ['r', 'y', [1]]])
      .invoke(1, [['append', 'y', 1], ['r', 'x', [1]]])
      .ok(0).ok(1);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['G1c']);
    assert.deepEqual(r.not, ['read-committed']);
    const c = first(r, 'G1c');
    assert.match(c.text as string, /T2 observed T1's append of 1 to key x/);
    assert.match(c.text as string, /However, T2 < T1, because T1 observed T2's append of 1 to key y: a contradiction!/);
    const steps = c.steps as { aMop: number; bMop: number; fromLine: number; toLine: number }[];
    assert.deepEqual(steps.map((s) => [s.aMop, s.bMop]), [[0, 1], [0, 1]]);
    assert.deepEqual(steps.map((s) => [s.fromLine, s.toLine]), [[3, 4], [4, 3]]);
  });

  it('G-single-item: read skew with one anti-dependency', async () => {
    const h = new TxnHistory()
      .invoke(0, [['append', 'x', 1], ['append', 'y', 1]])
      .invoke(1, [['r', 'x', []], ['r', 'y', [1]]])
      .ok(0).ok(1);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['G-single-item']);
    assert.deepEqual(r.not, ['consistent-view', 'repeatable-read']);
    assert.ok((r.alsoNot as string[]).includes('snapshot-isolation'));
    assert.match(first(r, 'G-single-item').text as string, /observed the initial \(empty\) state of key x/);
  });

  it('G-nonadjacent-item: two anti-dependencies that never touch', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'a', []], ['r', 'd', [1]]])
      .invoke(1, [['append', 'a', 1], ['append', 'b', 1]])
      .invoke(2, [['r', 'b', [1]], ['r', 'c', []]])
      .invoke(3, [['append', 'c', 1], ['append', 'd', 1]])
      .ok(1).ok(3).ok(0).ok(2);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['G-nonadjacent-item']);
    // Our rw edges are per item, so a G-nonadjacent-item cycle is also G2-item.
    assert.deepEqual(r.not, ['repeatable-read', 'snapshot-isolation']);
    assert.deepEqual((first(r, 'G-nonadjacent-item').steps as { rel: string }[]).map((s) => s.rel).sort(), ['rw', 'rw', 'wr', 'wr']);
  });

  it('G2-item: write skew, allowed under snapshot isolation', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', []], ['r', 'y', []], ['append', 'x', 1]])
      .invoke(1, [['r', 'x', []], ['r', 'y', []], ['append', 'y', 1]])
      .ok(0).ok(1);
    const ops = h.build();
    const r = await checkListAppend(ops);
    assert.deepEqual(types(r), ['G2-item']);
    assert.deepEqual(r.not, ['repeatable-read']);
    assert.equal(r.valid, false);
    const si = await checkListAppend(ops, { consistencyModels: ['snapshot-isolation'] });
    assert.equal(si.valid, true);
    assert.deepEqual(types(si), ['G2-item']);
  });

  it('a read of null (an absent key) is the initial empty list: write skew with nulls is G2-item as with []', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', null], ['r', 'y', null], ['append', 'x', 1]])
      .invoke(1, [['r', 'x', null], ['r', 'y', null], ['append', 'y', 1]])
      .ok(0).ok(1);
    assert.deepEqual(types(await checkListAppend(h.build())), ['G2-item']);
  });

  it('a stale read of null after an append completed is G-single-item-realtime under strict serializability', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', null]]);
    const r = await checkListAppend(h.build(), { consistencyModels: ['strict-serializable'] });
    assert.equal(r.valid, false);
    assert.deepEqual(types(r), ['G-single-item-realtime']);
    const plain = await checkListAppend(h.build(), { consistencyModels: ['serializable'] });
    assert.equal(plain.valid, true, 'serializable allows the read to come first');
  });

  it('lost update: two transactions append after reading the same version', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', []], ['append', 'x', 1]])
      .invoke(1, [['r', 'x', []], ['append', 'x', 2]])
      .ok(0).ok(1);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['G2-item', 'lost-update']);
    assert.deepEqual(r.not, ['cursor-stability', 'update-atomic']);
    const ruledOut = r.ruledOut as Record<string, { not: string[]; alsoNot: string[] }>;
    assert.deepEqual(ruledOut['G2-item'].not, ['repeatable-read']);
    assert.deepEqual(ruledOut['lost-update'].not, ['cursor-stability', 'update-atomic']);
    assert.ok(ruledOut['lost-update'].alsoNot.includes('snapshot-isolation'));
    assert.ok(!ruledOut['G2-item'].alsoNot.includes('snapshot-isolation'));
    assert.equal((first(r, 'lost-update').txns as unknown[]).length, 2);
    assert.equal(first(r, 'lost-update').value, null);
  });

  it('incompatible order: two reads no single append order explains', async () => {
    const h = new TxnHistory()
      .invoke(0, [['append', 'x', 1]])
      .invoke(1, [['append', 'x', 2]])
      .ok(0).ok(1)
      .txn(2, [['r', 'x', [1, 2]]])
      .txn(3, [['r', 'x', [2, 1]]]);
    const r = await checkListAppend(h.build());
    assert.ok(types(r).includes('incompatible-order'));
    assert.deepEqual(r.not, ['read-committed']);
    assert.deepEqual(first(r, 'incompatible-order').values, [[2, 1], [1, 2]]);
  });

  it('duplicate elements: a value twice in one read', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', [1, 1]]]);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['duplicate-elements']);
    assert.deepEqual(r.not, ['read-uncommitted']);
  });

  it('future read: a transaction sees its own later append', async () => {
    const h = new TxnHistory().txn(0, [['r', 'x', [1]], ['append', 'x', 1]]);
    const r = await checkListAppend(h.build());
    assert.ok(types(r).includes('future-read'));
    assert.deepEqual(r.not, ['read-committed']);
    assert.ok((r.alsoNot as string[]).includes('read-atomic'));
  });

  it('dirty update: an aborted append sits under a committed one', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]], 'fail').txn(1, [['append', 'x', 2]]).txn(2, [['r', 'x', [1, 2]]]);
    const r = await checkListAppend(h.build());
    assert.ok(types(r).includes('dirty-update'));
    assert.ok(types(r).includes('G1a'));
    assert.equal((first(r, 'dirty-update').aborted as { element: number }).element, 1);
  });

  it('internal: a transaction misses its own append', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1], ['r', 'x', []]]);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['empty-transaction-graph', 'internal']);
    assert.deepEqual(r.not, ['read-atomic']);
    assert.deepEqual(first(r, 'internal').expected, ['...', 1]);
  });

  it('internal: a second read disagrees with the first', async () => {
    const h = new TxnHistory().txn(1, [['append', 'x', 1]]).txn(0, [['r', 'x', [1]], ['r', 'x', []]]);
    const r = await checkListAppend(h.build());
    assert.ok(types(r).includes('internal'));
  });

  it('unobserved writes fall after everything observed (Elle\'s unobserved-write case): G0 and G-single-item', async () => {
    const h = new TxnHistory()
      .invoke(0, [['append', 'x', 1], ['append', 'y', 1]])
      .invoke(1, [['append', 'x', 2], ['append', 'y', 2]])
      .invoke(2, [['append', 'x', 3], ['append', 'y', 3]])
      .invoke(3, [['r', 'x', [1, 2]]])
      .invoke(4, [['r', 'y', [2]]])
      .ok(0).ok(1).ok(2).ok(3).ok(4);
    const r = await checkListAppend(h.build());
    assert.deepEqual(types(r), ['G-single-item', 'G0']);
    const single = first(r, 'G-single-item').steps as { rel: string; key: string }[];
    assert.deepEqual(single.map((s) => s.rel).sort(), ['rw', 'wr', 'ww']);
    assert.ok(single.every((s) => s.key === 'y' || s.rel === 'ww'));
  });

  it('internal: after appends to an unread key only the tail is known (Elle\'s [... 3])', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1], ['append', 'x', 2], ['append', 'x', 4]]).txn(1, [['append', 'x', 3], ['r', 'x', [1, 2, 3, 4]]]);
    const r = await checkListAppend(h.build(), { consistencyModels: [], anomalies: ['internal'] });
    assert.equal(r.valid, false);
    assert.deepEqual(first(r, 'internal').expected, ['...', 3]);
    assert.deepEqual(first(r, 'internal').actual, [1, 2, 3, 4]);
  });
});
