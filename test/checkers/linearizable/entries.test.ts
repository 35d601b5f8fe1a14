import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { SearchOp } from '../../../checkers/linearizable/search-op.ts';
import { sortByReturn } from '../../../checkers/linearizable/wgl.ts';

const opsReturning = (rets: readonly number[]): SearchOp[] =>
  rets.map((ret, call) => ({ line: call + 1, call, ret, input: { f: 'write', value: call }, output: null, unknown: false }));

const reference = (ops: readonly SearchOp[]): number[] => ops.map((_, i) => i).sort((a, b) => ops[a].ret - ops[b].ret || a - b);

describe('linearizable: entry order', () => {
  it('orders ok ops by return, ties in call order, however disordered the returns', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 200 }), (rets) => {
        const ops = opsReturning(rets);
        assert.deepEqual(Array.from(sortByReturn(ops, new Int32Array(ops.length))), reference(ops));
      }),
    );
  });

  it('falls back to a general sort when returns come in reverse (every op overtakes all before it)', () => {
    const ops = opsReturning(Array.from({ length: 500 }, (_, i) => 1000 - i));
    assert.deepEqual(Array.from(sortByReturn(ops, new Int32Array(ops.length))), reference(ops));
  });
});
