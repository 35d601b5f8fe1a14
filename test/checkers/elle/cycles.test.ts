import { strict as assert } from 'node:assert';
import { anyCycle, classify, CYCLE_SPECS, findCycle, SearchTimeout } from '../../../checkers/elle/cycles.ts';
import { EdgeList, PROCESS, REALTIME, RW, toCsr, WR, WW } from '../../../checkers/elle/graph.ts';

const spec = (name: string) => CYCLE_SPECS.find((s) => s.name === name)!;

function graph(n: number, pairs: [number, number, number][]) {
  const el = new EdgeList();
  for (const [a, b, r] of pairs) el.add(a, b, r);
  return toCsr(n, el);
}

describe('elle cycle search', () => {
  it('classifies cycles by the relations they use', () => {
    assert.equal(classify([WW, WW]), 'G0');
    assert.equal(classify([WW, WR]), 'G1c');
    assert.equal(classify([RW, WR]), 'G-single-item');
    assert.equal(classify([RW, WR, RW, WW]), 'G-nonadjacent-item');
    assert.equal(classify([RW, WR, WW, RW]), 'G2-item');
    assert.equal(classify([RW, RW]), 'G2-item');
    assert.equal(classify([RW, PROCESS]), 'G-single-item-process');
    assert.equal(classify([RW, PROCESS, REALTIME]), 'G-single-item-realtime');
  });

  it('searches in the order most severe first: data, then session, then real time', () => {
    assert.deepEqual(CYCLE_SPECS.slice(0, 5).map((s) => s.name), ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item']);
    assert.equal(CYCLE_SPECS[5].name, 'G0-process');
    assert.equal(CYCLE_SPECS[14].name, 'G2-item-realtime');
  });

  it('finds the shortest cycle of the requested shape and reports the relation used on each edge', () => {
    // 0 -rw-> 1 -wr-> 0 is G-single-item; 0 -ww-> 2 -ww-> 3 -ww-> 0 is a longer G0.
    const g = graph(4, [[0, 1, RW], [1, 0, WR], [0, 2, WW], [2, 3, WW], [3, 0, WW]]);
    assert.deepEqual(findCycle(g, spec('G-single-item'), Infinity), { vertices: [0, 1], rels: [RW, WR] });
    const g0 = findCycle(g, spec('G0'), Infinity)!;
    assert.deepEqual(g0.rels, [WW, WW, WW]);
    assert.equal(findCycle(g, spec('G1c'), Infinity), undefined);
  });

  it('G-nonadjacent-item refuses adjacent rw edges, G2-item accepts them', () => {
    const adjacent = graph(3, [[0, 1, RW], [1, 2, RW], [2, 0, WR]]);
    assert.equal(findCycle(adjacent, spec('G-nonadjacent-item'), Infinity), undefined);
    assert.deepEqual(findCycle(adjacent, spec('G2-item'), Infinity)?.rels.filter((r) => r === RW).length, 2);
    // Adjacent only across the wrap-around: rw(0→1), wr(1→2), rw(2→0) — the last rw meets the first.
    const wrap = graph(3, [[0, 1, RW], [1, 2, WR], [2, 0, RW]]);
    assert.equal(findCycle(wrap, spec('G-nonadjacent-item'), Infinity), undefined);
    const apart = graph(4, [[0, 1, RW], [1, 2, WR], [2, 3, RW], [3, 0, WW]]);
    assert.equal(classify(findCycle(apart, spec('G-nonadjacent-item'), Infinity)!.rels), 'G-nonadjacent-item');
  });

  it('a variant needs its extra edge', () => {
    const g = graph(2, [[0, 1, RW], [1, 0, WR | REALTIME]]);
    assert.equal(findCycle(g, spec('G-single-item-process'), Infinity), undefined);
    assert.deepEqual(findCycle(g, spec('G-single-item-realtime'), Infinity)?.rels.sort(), [RW, REALTIME].sort());
  });

  it('gives up with SearchTimeout once the deadline has passed', () => {
    const n = 20_000;
    const ring = graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n, RW] as [number, number, number]));
    assert.throws(() => findCycle(ring, spec('G2-item'), performance.now() - 1), SearchTimeout);
    assert.equal(anyCycle(ring)?.vertices.length, n);
  });
});
