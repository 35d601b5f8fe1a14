import { strict as assert } from 'node:assert';
import { checkListAppend, checkRwRegister } from '../../../checkers/elle/index.ts';
import type { CheckResult } from '../../../harness/core/checker.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import { TxnHistory } from './builder.ts';

const types = (r: CheckResult): string[] => r.anomalyTypes as string[];
const first = (r: CheckResult, type: string): Record<string, unknown> => (r.anomalies as Record<string, Record<string, unknown>[]>)[type][0];

describe('elle rw-register: known answers', () => {
  it('finds nothing in a serial history', async () => {
    const h = new TxnHistory()
      .txn(0, [['w', 'x', 1], ['r', 'y', null]])
      .txn(1, [['r', 'x', 1], ['w', 'x', 2]])
      .txn(0, [['r', 'x', 2], ['w', 'y', 3]])
      .txn(1, [['r', 'y', 3]]);
    const r = await checkRwRegister(h.build());
    assert.equal(r.valid, true);
    assert.deepEqual(types(r), []);
  });

  it('G1a: reads an aborted write', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]], 'fail').txn(1, [['r', 'x', 1]]).build());
    assert.deepEqual(types(r), ['G1a', 'empty-transaction-graph']);
    assert.equal(r.valid, false);
  });

  it('G1b: reads an intermediate write', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1], ['w', 'x', 2]]).txn(1, [['r', 'x', 1]]).build());
    assert.deepEqual(types(r), ['G1b']);
    assert.equal(first(r, 'G1b').writerMop, 0);
  });

  it('G1c: two transactions read each other\'s writes', async () => {
    const h = new TxnHistory()
      .invoke(0, [['w', 'x', 1], ['r', 'y', 1]])
      .invoke(1, [['w', 'y', 1], ['r', 'x', 1]])
      .ok(0).ok(1);
    const r = await checkRwRegister(h.build());
    assert.deepEqual(types(r), ['G1c']);
    assert.match(first(r, 'G1c').text as string, /T2 read T1's write of 1 to key x/);
  });

  it('G-single-item: read skew against the initial value', async () => {
    const h = new TxnHistory()
      .invoke(0, [['w', 'x', 1], ['w', 'y', 1]])
      .invoke(1, [['r', 'x', null], ['r', 'y', 1]])
      .ok(0).ok(1);
    const r = await checkRwRegister(h.build());
    assert.deepEqual(types(r), ['G-single-item']);
    assert.match(first(r, 'G-single-item').text as string, /read the initial \(null\) value of key x, which T\d overwrote with 1/);
  });

  it('G-single-item-realtime: a read misses a write that completed before it began', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]]).txn(1, [['r', 'x', null]]).build());
    assert.deepEqual(types(r), ['G-single-item-realtime']);
    assert.equal((await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]]).txn(1, [['r', 'x', null]]).build(), { consistencyModels: ['serializable'] })).valid, true);
  });

  it('G2-item: write skew', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', null], ['r', 'y', null], ['w', 'x', 1]])
      .invoke(1, [['r', 'x', null], ['r', 'y', null], ['w', 'y', 2]])
      .ok(0).ok(1);
    const r = await checkRwRegister(h.build());
    assert.deepEqual(types(r), ['G2-item']);
    assert.equal((await checkRwRegister(h.build(), { consistencyModels: ['snapshot-isolation'] })).valid, true);
  });

  it('lost update: both read the initial value and both write', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', null], ['w', 'x', 1]])
      .invoke(1, [['r', 'x', null], ['w', 'x', 2]])
      .ok(0).ok(1);
    const r = await checkRwRegister(h.build());
    assert.deepEqual(types(r), ['G2-item', 'lost-update']);
    assert.deepEqual(r.not, ['cursor-stability', 'update-atomic']);
  });

  it('internal: a read after the transaction\'s own write sees something else', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1], ['r', 'x', null]]).build());
    assert.deepEqual(types(r), ['empty-transaction-graph', 'internal']);
    assert.equal(first(r, 'internal').expected, 1);
  });

  it('future read: the first read of a key returns the value the transaction writes later', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['r', 'x', 1], ['w', 'x', 1]]).build());
    assert.deepEqual(types(r), ['empty-transaction-graph', 'future-read']);
    assert.deepEqual(r.not, ['read-committed']);
    assert.equal(first(r, 'future-read').writeMop, 1);
  });

  it('cyclic versions: reads-then-writes that order versions both ways', async () => {
    const h = new TxnHistory()
      .invoke(0, [['r', 'x', 2], ['w', 'x', 1]])
      .invoke(1, [['r', 'x', 1], ['w', 'x', 2]])
      .ok(0).ok(1);
    const r = await checkRwRegister(h.build());
    assert.ok(types(r).includes('cyclic-versions'), JSON.stringify(types(r)));
    assert.deepEqual((first(r, 'cyclic-versions').versions as number[]).slice().sort(), [1, 2]);
    assert.ok((r.not as string[]).includes('read-uncommitted'));
  });
});

describe('elle: bad input', () => {
  it('a duplicate write gives unknown and names the line and micro-op', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]]).txn(1, [['w', 'x', 1]]).build());
    assert.equal(r.valid, 'unknown');
    assert.deepEqual(r.error, { line: 4, field: 'value[0]', detail: '1 is written to key x again (first on line 2); rw-register needs unique written values' });
  });

  it('a micro-op of the wrong workload gives unknown naming the field', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['append', 'x', 1]]).build());
    assert.equal(r.valid, 'unknown');
    assert.equal((r.error as { field: string }).field, 'value[0][0]');
    assert.match(r.reason as string, /line 2/);
  });

  it('a txn value that is not a list gives unknown', async () => {
    const ops = indexOps([
      { type: 'invoke', process: 0, f: 'txn', value: 'oops', time: 1 },
      { type: 'ok', process: 0, f: 'txn', value: 'oops', time: 2 },
    ]);
    const r = await checkRwRegister(ops);
    assert.equal(r.valid, 'unknown');
    assert.deepEqual(r.error, { line: 2, field: 'value', detail: 'a txn value must be a list of micro-ops (got "oops")' });
  });

  it('events that do not pair give unknown naming the line, as harness pairing does; other ops are counted and skipped', async () => {
    const twice = await checkListAppend(indexOps([
      { type: 'invoke', process: 0, f: 'txn', value: [['append', 'x', 1]], time: 1 },
      { type: 'invoke', process: 0, f: 'txn', value: [['append', 'x', 2]], time: 2 },
    ]));
    assert.equal(twice.valid, 'unknown');
    assert.deepEqual(twice.error, { line: 2, field: 'process', detail: 'process 0 invoked again while its invoke on line 1 is still open' });
    const orphan = await checkListAppend(indexOps([
      { type: 'invoke', process: 0, f: 'read', value: null, time: 1 },
      { type: 'ok', process: 0, f: 'read', value: 3, time: 2 },
      { type: 'ok', process: 0, f: 'txn', value: [['append', 'x', 1]], time: 3 },
    ]));
    assert.deepEqual(orphan.error, { line: 3, field: 'process', detail: 'completion for process 0 has no open invoke' });
    const mixed = await checkListAppend(indexOps([
      { type: 'invoke', process: 'nemesis', f: 'kill', value: null, time: 1 },
      { type: 'invoke', process: 0, f: 'read', value: null, time: 2 },
      { type: 'invoke', process: 1, f: 'txn', value: [['append', 'x', 1]], time: 3 },
      { type: 'ok', process: 0, f: 'read', value: 3, time: 4 },
      { type: 'ok', process: 1, f: 'txn', value: [['append', 'x', 1]], time: 5 },
      { type: 'info', process: 'nemesis', f: 'kill', value: null, time: 6 },
      { type: 'invoke', process: 1, f: 'txn', value: [['r', 'x', null]], time: 7 },
    ]));
    assert.equal(mixed.error, undefined);
    const s = mixed.stats as Record<string, number>;
    assert.deepEqual([s.txns, s.ok, s.info, s.fail, s.skippedOps], [2, 1, 1, 0, 1]);
  });

  it('a list-append read with a non-scalar element gives unknown naming the element, wherever the read sits', async () => {
    const longest = await checkListAppend(new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'y', []], ['r', 'x', [1, { a: 1 }]]]).build());
    assert.equal(longest.valid, 'unknown');
    assert.deepEqual(longest.error, { line: 4, field: 'value[1][2][1]', detail: 'a list-append read returns strings or numbers (got {"a":1})' });
    const shorter = await checkListAppend(new TxnHistory().txn(0, [['append', 'x', 1], ['append', 'x', 2]]).txn(1, [['r', 'x', [[1]]]]).txn(2, [['r', 'x', [1, 2]]]).build());
    assert.equal(shorter.valid, 'unknown');
    assert.equal((shorter.error as { field: string }).field, 'value[0][2][0]');
  });

  it('a history where no transaction committed is unknown, not valid', async () => {
    const r = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]], 'fail').txn(1, [['r', 'x', null]], 'info').build());
    assert.equal(r.valid, 'unknown');
    assert.match(r.reason as string, /no transaction completed ok/);
  });

  it('an empty history is unknown, not valid', async () => {
    const r = await checkRwRegister([]);
    assert.equal(r.valid, 'unknown');
  });

  it('an unknown consistency model is refused with the list of known ones', async () => {
    await assert.rejects(checkRwRegister([], { consistencyModels: ['serialisable'] }), /unknown consistency model "serialisable"; known models: .*strict-serializable/);
  });
});
