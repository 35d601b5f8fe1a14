import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { EdgeList, PROCESS, REALTIME, toCsr } from '../../../checkers/elle/graph.ts';
import { addProcessEdges, addRealtimeEdges } from '../../../checkers/elle/order-edges.ts';
import { collectTxns } from '../../../checkers/elle/txns.ts';
import type { Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';

/** Random interleavings of single-micro-op txns on a few processes, with random outcomes. */
const historyArb = fc.array(fc.tuple(fc.nat(4), fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info')), { maxLength: 40 }).map((steps) => {
  const ops: Op[] = [];
  const open = new Map<number, string>();
  const retired = new Set<number>();
  let time = 0;
  for (const [slot, outcome] of steps) {
    let p = slot;
    while (retired.has(p)) p += 5;
    if (open.has(p)) {
      ops.push({ type: open.get(p) as 'ok', process: p, f: 'txn', value: [['r', 'x', null]], time: ++time });
      if (open.get(p) === 'info') retired.add(p);
      open.delete(p);
    } else {
      ops.push({ type: 'invoke', process: p, f: 'txn', value: [['r', 'x', null]], time: ++time });
      open.set(p, outcome);
    }
  }
  return indexOps(ops);
});

function closure(n: number, el: EdgeList, rel: number): boolean[][] {
  const g = toCsr(n, el);
  const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let v = 0; v < n; v++) for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) if (g.masks[e] & rel) reach[v][g.targets[e]] = true;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (reach[i][k] && reach[k][j]) reach[i][j] = true;
  return reach;
}

describe('elle process and real-time edges', () => {
  it('the reduced real-time edges have exactly the full precedence order as their transitive closure', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { txns } = collectTxns(history, 'list-append');
        const el = new EdgeList();
        addRealtimeEdges(txns, el);
        const reach = closure(txns.length, el, REALTIME);
        for (const a of txns) {
          for (const b of txns) {
            const precedes = a.outcome === 'ok' && b.outcome !== 'fail' && a.complete!.index < b.invoke.index;
            assert.equal(reach[a.id][b.id], precedes, `T${a.id} (${a.outcome}) vs T${b.id} (${b.outcome})`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the real-time edge count near n·p rather than n²', () => {
    const ops: Op[] = [];
    let time = 0;
    for (let i = 0; i < 2000; i++) {
      ops.push({ type: 'invoke', process: 0, f: 'txn', value: [['r', 'x', null]], time: ++time });
      ops.push({ type: 'ok', process: 0, f: 'txn', value: [['r', 'x', []]], time: ++time });
    }
    const { txns } = collectTxns(indexOps(ops), 'list-append');
    const el = new EdgeList();
    addRealtimeEdges(txns, el);
    assert.equal(el.length, 1999);
  });

  it('links each ok txn to the next non-failed txn of its process, skipping failures', () => {
    const h = indexOps([
      { type: 'invoke', process: 0, f: 'txn', value: [], time: 1 },
      { type: 'ok', process: 0, f: 'txn', value: [], time: 2 },
      { type: 'invoke', process: 0, f: 'txn', value: [], time: 3 },
      { type: 'fail', process: 0, f: 'txn', value: [], time: 4 },
      { type: 'invoke', process: 0, f: 'txn', value: [], time: 5 },
      { type: 'info', process: 0, f: 'txn', value: [], time: 6 },
    ]);
    const { txns } = collectTxns(h, 'list-append');
    const el = new EdgeList();
    addProcessEdges(txns, el);
    const c = el.chunks[0];
    assert.deepEqual([el.length, c.src[0], c.dst[0], c.rel[0]], [1, 0, 2, PROCESS]);
  });
});
