import { strict as assert } from 'node:assert';
import { EdgeList, inducedSubgraph, PROCESS, relName, RW, toCsr, WR, WW } from '../../../checkers/elle/graph.ts';

const rows = (g: ReturnType<typeof toCsr>): [number, number, number][][] =>
  Array.from({ length: g.n }, (_, v) => {
    const out: [number, number, number][] = [];
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) out.push([v, g.targets[e], g.masks[e]]);
    return out;
  });

describe('elle graph', () => {
  it('merges repeated pairs into one edge whose mask ORs their relations, and drops self-edges', () => {
    const el = new EdgeList();
    el.add(0, 1, WW);
    el.add(2, 0, RW);
    el.add(0, 1, WR);
    el.add(1, 1, WW);
    el.add(0, 2, PROCESS);
    el.add(0, 1, WW);
    const g = toCsr(3, el);
    assert.deepEqual(rows(g), [[[0, 1, WW | WR], [0, 2, PROCESS]], [], [[2, 0, RW]]]);
  });

  it('grows past its initial capacity without losing edges', () => {
    const el = new EdgeList();
    for (let i = 0; i < 5000; i++) el.add(i, (i + 1) % 5000, WW);
    const g = toCsr(5000, el);
    assert.equal(g.targets.length, 5000);
    assert.equal(g.targets[g.offsets[4999]], 0);
  });

  it('keeps insertion order across chunks, which fixes the order of each CSR row', () => {
    const el = new EdgeList();
    const n = 300_000;
    // Edge i and edge i + 3000 join the same pair, first as ww and then as rw.
    for (let i = 0; i < n; i++) el.add(i % 3, 3 + (i % 1000), Math.floor(i / 3000) % 2 === 0 ? WW : RW);
    assert.equal(el.length, n);
    assert.ok(el.chunks.length > 2);
    assert.equal(el.chunks.reduce((s, c) => s + c.length, 0), n);
    const g = toCsr(1003, el);
    // Row 0 saw targets 3, 6, 9, 12 first (i = 0, 3, 6, 9), then every other target, each pair many times over.
    assert.deepEqual([...g.targets.subarray(g.offsets[0], g.offsets[0] + 4)], [3, 6, 9, 12]);
    assert.equal(g.offsets[1] - g.offsets[0], 1000);
    assert.equal(g.masks[g.offsets[0]], WW | RW);
  });

  it('induces a subgraph on chosen vertices and relations, renumbered in the given order', () => {
    const el = new EdgeList();
    el.add(5, 7, WW | RW);
    el.add(7, 5, PROCESS);
    el.add(7, 9, WW);
    const g = toCsr(10, el);
    const sub = inducedSubgraph(g, [7, 5], RW | PROCESS);
    assert.deepEqual(rows(sub), [[[0, 1, PROCESS]], [[1, 0, RW]]]);
    // Calls share scratch space: vertices of an earlier subgraph must not leak into the next one.
    assert.deepEqual(rows(inducedSubgraph(g, [9, 7], WW)), [[], [[1, 0, WW]]]);
    assert.deepEqual(rows(inducedSubgraph(g, [5, 9], WW | RW | PROCESS)), [[], []]);
    assert.deepEqual(rows(inducedSubgraph(toCsr(3, new EdgeList()), [2, 0], WW)), [[], []]);
  });

  it('names single relations and refuses masks', () => {
    assert.equal(relName(RW), 'rw');
    assert.throws(() => relName(WW | WR), /not a single relation bit: 3/);
  });
});
