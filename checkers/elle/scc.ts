import type { Graph } from './graph.ts';

/**
 * Tarjan's strongly connected components, iterative (histories have 10^5+ vertices; recursion would overflow the
 * JS stack). Returns only components that can hold a cycle: two or more vertices, as the graph has no self-edges.
 * Only edges with a relation in `relMask` count.
 */
export function stronglyConnected(g: Graph, relMask = 0xff): Int32Array[] {
  const { n, offsets, targets, masks } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  let sp = 0, csp = 0, counter = 0;
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    index[s] = low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    callV[csp] = s;
    callE[csp] = offsets[s];
    csp++;
    while (csp > 0) {
      const v = callV[csp - 1];
      const e = callE[csp - 1];
      if (e < offsets[v + 1]) {
        callE[csp - 1] = e + 1;
        if ((masks[e] & relMask) === 0) continue;
        const w = targets[e];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callV[csp] = w;
          callE[csp] = offsets[w];
          csp++;
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        let start = sp - 1;
        while (stack[start] !== v) start--;
        for (let i = start; i < sp; i++) onStack[stack[i]] = 0;
        if (sp - start > 1) out.push(stack.slice(start, sp));
        sp = start;
      }
      if (csp > 0) {
        const u = callV[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  return out;
}
