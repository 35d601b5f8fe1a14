import { strict as assert } from 'node:assert';
import { checkListAppend } from '../../../checkers/elle/index.ts';
import { TxnHistory } from './builder.ts';

/**
 * Each cycle anomaly closed by session order (both transactions on one process) or by real time (two processes,
 * one finishing before the other starts). `a` and `b` are the processes of the ordered pair.
 */
const cases: { base: string; build: (a: number, b: number) => TxnHistory }[] = [
  {
    base: 'G0',
    build: (a, b) => new TxnHistory().txn(a, [['append', 'x', 2]]).txn(b, [['append', 'x', 1]]).txn(9, [['r', 'x', [1, 2]]]),
  },
  {
    base: 'G1c',
    build: (a, b) => new TxnHistory().txn(a, [['r', 'x', [1]]]).txn(b, [['append', 'x', 1]]),
  },
  {
    base: 'G-single-item',
    build: (a, b) => new TxnHistory().txn(a, [['append', 'x', 1]]).txn(b, [['r', 'x', []]]),
  },
  {
    base: 'G-nonadjacent-item',
    build: (a, b) => new TxnHistory()
      .invoke(7, [['r', 'b', [1]], ['r', 'c', []]])
      .invoke(8, [['append', 'a', 1], ['append', 'b', 1]])
      .invoke(a, [['append', 'c', 1]])
      .ok(a)
      .invoke(b, [['r', 'a', []]])
      .ok(8).ok(7).ok(b),
  },
  {
    base: 'G2-item',
    build: (a, b) => new TxnHistory()
      .invoke(8, [['append', 'a', 1], ['r', 'b', []]])
      .invoke(a, [['append', 'b', 1]])
      .ok(a)
      .invoke(b, [['r', 'a', []]])
      .ok(b).ok(8),
  },
];

const expectedNot: Record<string, string[]> = {
  'G0-process': ['strong-session-read-uncommitted'],
  'G0-realtime': ['strong-read-uncommitted'],
  'G1c-process': ['strong-session-read-committed'],
  'G1c-realtime': ['strong-read-committed'],
  'G-single-item-process': ['strong-session-snapshot-isolation'],
  'G-single-item-realtime': ['strong-snapshot-isolation'],
  'G-nonadjacent-item-process': ['strong-session-snapshot-isolation'],
  'G-nonadjacent-item-realtime': ['strong-snapshot-isolation'],
  'G2-item-process': ['strong-session-serializable'],
  'G2-item-realtime': ['strict-serializable'],
};

describe('elle list-append: -process and -realtime variants', () => {
  for (const c of cases) {
    for (const [variant, a, b] of [['-process', 0, 0], ['-realtime', 0, 1]] as const) {
      const type = c.base + variant;
      it(`${type}: found, named, and ruling out ${expectedNot[type].join(', ')}`, async () => {
        const ops = c.build(a, b).build();
        const r = await checkListAppend(ops);
        assert.deepEqual(r.anomalyTypes, [type]);
        assert.deepEqual(r.not, expectedNot[type]);
        assert.equal(r.valid, false);
        const steps = (r.anomalies as Record<string, { steps: { rel: string; text: string }[] }[]>)[type][0].steps;
        const order = steps.find((s) => s.rel === (variant === '-process' ? 'process' : 'realtime'));
        assert.ok(order, JSON.stringify(steps));
        assert.match(order.text, variant === '-process' ? /^process 0 executed T\d before T\d$/ : /completed at index \d+, 0\.\d{3} s before the invocation of T\d$/);
        // The weaker, non-strong model allows it.
        const base = await checkListAppend(ops, { consistencyModels: ['serializable'] });
        assert.equal(base.valid, true);
      });
    }
  }
});
