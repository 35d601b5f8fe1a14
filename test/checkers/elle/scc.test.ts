import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { EdgeList, PROCESS, toCsr, WW } from '../../../checkers/elle/graph.ts';
import { stronglyConnected } from '../../../checkers/elle/scc.ts';

const sorted = (cs: Int32Array[]): number[][] => cs.map((c) => [...c].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);

function graph(n: number, pairs: [number, number, number?][]) {
  const el = new EdgeList();
  for (const [a, b, r] of pairs) el.add(a, b, r ?? WW);
  return toCsr(n, el);
}

describe('elle strongly connected components', () => {
  it('finds the non-trivial components and nothing else', () => {
    const g = graph(7, [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 3], [5, 6]]);
    assert.deepEqual(sorted(stronglyConnected(g)), [[0, 1, 2], [3, 4]]);
  });

  it('counts only edges in the relation mask', () => {
    const g = graph(2, [[0, 1, WW], [1, 0, PROCESS]]);
    assert.equal(stronglyConnected(g, WW).length, 0);
    assert.equal(stronglyConnected(g).length, 1);
  });

  it('handles a 200,000-vertex cycle without recursion', () => {
    const n = 200_000;
    const g = graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));
    const cs = stronglyConnected(g);
    assert.equal(cs.length, 1);
    assert.equal(cs[0].length, n);
  });

  it('agrees with mutual reachability on random graphs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }))), ([n, pairs]) => {
        const reach = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
        for (const [a, b] of pairs) reach[a][b] = true;
        for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (reach[i][k] && reach[k][j]) reach[i][j] = true;
        const expected: number[][] = [];
        const done = new Set<number>();
        for (let i = 0; i < n; i++) {
          if (done.has(i)) continue;
          const comp = [];
          for (let j = 0; j < n; j++) if (reach[i][j] && reach[j][i]) comp.push(j);
          comp.forEach((j) => done.add(j));
          if (comp.length > 1) expected.push(comp);
        }
        assert.deepEqual(sorted(stronglyConnected(graph(n, pairs))), expected.sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 300 },
    );
  });
});
