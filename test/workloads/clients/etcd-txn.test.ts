import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyMicroOps, parseMicroOps, txnKeys, type MicroOp, type Snapshot } from '../../../workloads/clients/etcd-txn.ts';

const snap = (entries: [string, unknown][]): Map<string, Snapshot> => new Map(entries.map(([k, v]) => [k, { value: v, modRevision: v === null ? '0' : '7' }]));

describe('workloads/clients/etcd-txn', () => {
  it('reads see the snapshot and the transaction\'s own earlier writes; each written key gets its final value', () => {
    const ops: MicroOp[] = [['r', 'a', null], ['append', 'a', 3], ['r', 'a', null], ['append', 'a', 4], ['w', 'b', 9], ['r', 'b', null], ['r', 'c', null]];
    const r = applyMicroOps(ops, snap([['a', [1, 2]], ['b', 5], ['c', null]]));
    assert.ok(typeof r !== 'string');
    assert.deepEqual(r.done, [['r', 'a', [1, 2]], ['append', 'a', 3], ['r', 'a', [1, 2, 3]], ['append', 'a', 4], ['w', 'b', 9], ['r', 'b', 9], ['r', 'c', null]]);
    assert.deepEqual([...r.writes], [['a', [1, 2, 3, 4]], ['b', 9]]);
  });

  it('an append to an absent key starts a list; to a non-list value it is refused', () => {
    const r = applyMicroOps([['append', 'x', 1]], snap([['x', null]]));
    assert.ok(typeof r !== 'string');
    assert.deepEqual([...r.writes], [['x', [1]]]);
    assert.equal(applyMicroOps([['append', 'x', 1]], snap([['x', 'text']])), 'etcd txn: append to "x", which holds a non-list value');
  });

  it('a read-only transaction writes nothing', () => {
    const r = applyMicroOps([['r', 'a', null], ['r', 'b', null]], snap([['a', [1]], ['b', null]]));
    assert.ok(typeof r !== 'string' && r.writes.size === 0);
  });

  it('the last append to a key is its whole list after the transaction (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('append', 'r'), fc.constantFrom('a', 'b'), fc.integer()), { minLength: 1, maxLength: 12 }), (raw) => {
      const ops = raw.map(([f, k, v]): MicroOp => [f as 'append' | 'r', k, f === 'r' ? null : v]);
      const r = applyMicroOps(ops, snap([['a', null], ['b', [0]]]));
      assert.ok(typeof r !== 'string');
      for (const k of ['a', 'b']) {
        const appended = ops.filter((m) => m[0] === 'append' && m[1] === k).map((m) => m[2]);
        if (appended.length) assert.deepEqual(r.writes.get(k), [...(k === 'b' ? [0] : []), ...appended]);
        else assert.equal(r.writes.has(k), false);
      }
    }));
  });

  it('lists the keys in first-use order and refuses malformed micro-ops, saying which', () => {
    assert.deepEqual(txnKeys([['r', 'b', null], ['append', 'a', 1], ['r', 'b', null]]), ['b', 'a']);
    assert.match(String(parseMicroOps([])), /non-empty list of micro-ops/);
    assert.match(String(parseMicroOps([['r', 'a']])), /micro-op 0 must be \[f, key, value\]/);
    assert.match(String(parseMicroOps([['r', 'a', null], ['del', 'a', null]])), /micro-op 1 has f "del"/);
    assert.match(String(parseMicroOps([['append', '', 1]])), /micro-op 0 needs a non-empty string key/);
    assert.deepEqual(parseMicroOps([['w', 'a', 1]]), [['w', 'a', 1]]);
  });
});
