import { strict as assert } from 'node:assert';
import { checkListAppend, checkRwRegister } from '../../../checkers/elle/index.ts';
import { boundary, forbidden, KNOWN_ANOMALIES, validateAnomalies } from '../../../checkers/elle/models.ts';
import type { CheckResult } from '../../../harness/core/checker.ts';
import { TxnHistory } from './builder.ts';

const types = (r: CheckResult): string[] => r.anomalyTypes as string[];
const first = (r: CheckResult, type: string): Record<string, unknown> => (r.anomalies as Record<string, Record<string, unknown>[]>)[type][0];

describe('elle parity with Elle', () => {
  describe('internal reads of nil, as the inference reads them (the empty list)', () => {
    it('an append and then a read of null in the same transaction is internal', async () => {
      const h = new TxnHistory().txn(0, [['append', 'x', 1], ['r', 'x', null]]).txn(1, [['r', 'x', [1]]]);
      const r = await checkListAppend(h.build());
      assert.deepEqual(types(r), ['internal']);
      assert.equal(r.valid, false);
      assert.deepEqual(first(r, 'internal').expected, ['...', 1]);
      assert.equal(first(r, 'internal').actual, null);
    });

    it('a read of [1] and then a read of null is internal, as with []', async () => {
      for (const later of [null, []]) {
        const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', [1]], ['r', 'x', later]]);
        const r = await checkListAppend(h.build());
        assert.ok(types(r).includes('internal'), `${JSON.stringify(later)}: ${JSON.stringify(types(r))}`);
        assert.deepEqual(first(r, 'internal').expected, [1]);
      }
    });

    it('two reads of null, or null and then [], agree', async () => {
      const h = new TxnHistory().txn(0, [['r', 'x', null], ['r', 'x', []], ['r', 'x', null]]).txn(1, [['append', 'x', 1]]).txn(0, [['r', 'x', [1]]]);
      const r = await checkListAppend(h.build());
      assert.equal(r.valid, true, JSON.stringify(types(r)));
    });
  });

  describe('empty transaction graph', () => {
    it('appends that nobody read, under serializable: nothing can be inferred, so unknown', async () => {
      const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['append', 'x', 2]]).txn(0, [['append', 'y', 1]]);
      const r = await checkListAppend(h.build(), { consistencyModels: ['serializable'] });
      assert.equal(r.valid, 'unknown');
      assert.deepEqual(types(r), ['empty-transaction-graph']);
      assert.match(r.reason as string, /no ww, wr or rw dependency between transactions could be inferred/);
    });

    it('real-time order alone closes no cycle: the same history under strict serializability is unknown too', async () => {
      const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['append', 'x', 2]]).txn(0, [['append', 'y', 1]]);
      const r = await checkListAppend(h.build());
      assert.equal(r.valid, 'unknown');
      assert.ok((r.stats as Record<string, number>).edges > 0, 'real-time and session edges are there');
      assert.deepEqual(types(r), ['empty-transaction-graph']);
    });

    it('reads of keys nobody wrote infer nothing; one read of the initial state of a written key does', async () => {
      const none = new TxnHistory().invoke(0, [['r', 'x', null]]).invoke(1, [['r', 'y', null]]).ok(0).ok(1);
      assert.equal((await checkListAppend(none.build())).valid, 'unknown');
      const one = new TxnHistory().txn(0, [['r', 'x', null]]).txn(1, [['append', 'x', 1]]);
      const r = await checkListAppend(one.build());
      assert.equal(r.valid, true, JSON.stringify(types(r)));
      assert.match(r.reason as string, /no anomalies found; checked strict-serializable/);
    });

    it('one rw-register transaction alone is unknown; a second that reads its write makes it valid', async () => {
      const alone = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]]).build());
      assert.equal(alone.valid, 'unknown');
      assert.deepEqual(types(alone), ['empty-transaction-graph']);
      const read = await checkRwRegister(new TxnHistory().txn(0, [['w', 'x', 1]]).txn(1, [['r', 'x', 1]]).build(), { consistencyModels: ['serializable'] });
      assert.equal(read.valid, true);
      assert.deepEqual(types(read), []);
    });

    it('a forbidden anomaly still makes the verdict false', async () => {
      const h = new TxnHistory().txn(0, [['append', 'x', 1], ['r', 'x', []]]);
      const r = await checkListAppend(h.build());
      assert.equal(r.valid, false);
      assert.deepEqual(types(r), ['empty-transaction-graph', 'internal']);
    });
  });

  describe('anomaly names and the models they rule out', () => {
    it('item cycles carry Elle\'s names and imply the general forms', () => {
      assert.deepEqual(boundary(['G-single-item']).not, ['consistent-view', 'repeatable-read']);
      assert.deepEqual(boundary(['G-nonadjacent-item']).not, ['repeatable-read', 'snapshot-isolation']);
      assert.deepEqual(boundary(['G-single-item-process']).not, ['strong-session-snapshot-isolation']);
      assert.deepEqual(boundary(['G2-item-realtime']).not, ['strict-serializable']);
    });

    it('lost update is a write skew (G2) and G2-item; internal rules out read atomic', () => {
      assert.deepEqual(boundary(['lost-update']).not, ['cursor-stability', 'update-atomic']);
      assert.ok(forbidden('lost-update', [], ['write-skew']));
      assert.ok(forbidden('lost-update', [], ['G2']));
      assert.deepEqual(boundary(['internal']).not, ['read-atomic']);
      assert.deepEqual(boundary(['cyclic-versions']).not, ['read-uncommitted']);
      assert.deepEqual(boundary(['duplicate-elements']).not, ['read-uncommitted']);
    });

    it('asking for G1 catches G1a, G1b, G1c and G0, but not G-single-item', () => {
      for (const t of ['G1a', 'G1b', 'G1c', 'G0', 'dirty-update', 'incompatible-order', 'future-read']) assert.ok(forbidden(t, [], ['G1']), t);
      assert.equal(forbidden('G-single-item', [], ['G1']), false);
      assert.ok(forbidden('G-single-item', [], ['G-single']));
      assert.ok(forbidden('G0-process', [], ['G1-realtime']));
    });

    it('the anomalies option takes what implies it: G2 under read committed fails a G2-item history', async () => {
      const h = new TxnHistory()
        .invoke(0, [['r', 'x', []], ['append', 'y', 1]])
        .invoke(1, [['r', 'y', []], ['append', 'x', 1]])
        .ok(0).ok(1)
        .txn(2, [['r', 'x', [1]], ['r', 'y', [1]]]);
      const lax = await checkListAppend(h.build(), { consistencyModels: ['read-committed'] });
      assert.equal(lax.valid, true);
      assert.ok(types(lax).includes('G2-item'));
      assert.match(lax.reason as string, /allowed under read-committed/);
      const strict = await checkListAppend(h.build(), { consistencyModels: ['read-committed'], anomalies: ['G2'] });
      assert.equal(strict.valid, false);
    });

    it('cycle-exists proofs carry Elle\'s canonical model names and rule out the model they name', () => {
      assert.deepEqual(boundary(['PL-2.99-cycle-exists']).not, ['repeatable-read']);
      assert.deepEqual(boundary(['PL-SI-cycle-exists']).not, ['snapshot-isolation']);
      assert.deepEqual(boundary(['strong-session-PL-2-cycle-exists']).not, ['strong-session-read-committed']);
      assert.doesNotThrow(() => validateAnomalies(['PL-3-cycle-exists']));
    });

    it('unknown anomaly names are refused, listing the known ones', () => {
      assert.throws(() => validateAnomalies(['G3']), /unknown anomaly "G3"; known anomalies: .*G-single-item/);
      for (const t of ['G1', 'G2', 'write-skew', 'empty-transaction-graph', 'cycle-search-timeout', 'G-nonadjacent-item-realtime']) assert.ok(KNOWN_ANOMALIES.includes(t), t);
    });
  });

  it('models may be given by Elle\'s canonical names and synonyms', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', []]]).txn(2, [['r', 'x', [1]]]);
    const strong = await checkListAppend(h.build(), { consistencyModels: ['strong-serializable'] });
    assert.equal(strong.valid, false);
    assert.deepEqual(strong.models, ['strict-serializable']);
    const pl3 = await checkListAppend(h.build(), { consistencyModels: ['PL-3'] });
    assert.equal(pl3.valid, true);
    assert.deepEqual(pl3.models, ['serializable']);
    await assert.rejects(checkListAppend(h.build(), { consistencyModels: ['PL-9'] }), /unknown consistency model "PL-9"; known models: .* \(or Elle's names: PL-1, /);
  });

  it('a valid result names the models it checked, and the not set of allowed anomalies', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', [1]]]);
    const r = await checkListAppend(h.build(), { consistencyModels: ['snapshot-isolation'] });
    assert.equal(r.valid, true);
    assert.deepEqual(r.models, ['snapshot-isolation']);
    assert.match(r.reason as string, /no anomalies found; checked snapshot-isolation/);
    assert.deepEqual(r.not, []);
  });
});
