/**
 * The dependency graph as flat typed arrays: an edge list while inferring, then CSR (offsets + targets) with one
 * relation bitmask per edge, so 10^5 transactions and millions of edges stay compact and cache-friendly.
 */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DATA = WW | WR | RW;
export const ALL = DATA | PROCESS | REALTIME;

export type RelName = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';
const NAMES: Record<number, RelName> = { [WW]: 'ww', [WR]: 'wr', [RW]: 'rw', [PROCESS]: 'process', [REALTIME]: 'realtime' };

export function relName(bit: number): RelName {
  const n = NAMES[bit];
  if (!n) throw new RangeError(`not a single relation bit: ${bit}`);
  return n;
}

/** One block of an EdgeList: `length` of its slots are filled. */
export interface EdgeChunk {
  src: Int32Array;
  dst: Int32Array;
  rel: Uint8Array;
  length: number;
}

const FIRST_CHUNK = 1024;
const MAX_CHUNK = 1 << 16;

/**
 * Growable list of (from, to, relation) triples; self-edges are dropped because a transaction cannot precede itself.
 * Stored in chunks that double up to 64K edges: growing never copies, and the slack is at most one chunk, where a
 * doubling array would hold up to twice the edges (and, while growing, both copies).
 */
export class EdgeList {
  readonly chunks: EdgeChunk[] = [];
  length = 0;
  private cur: EdgeChunk = { src: new Int32Array(0), dst: new Int32Array(0), rel: new Uint8Array(0), length: 0 };

  add(from: number, to: number, rel: number): void {
    if (from === to) return;
    let c = this.cur;
    if (c.length === c.src.length) c = this.grow();
    const i = c.length;
    c.src[i] = from;
    c.dst[i] = to;
    c.rel[i] = rel;
    c.length = i + 1;
    this.length++;
  }

  private grow(): EdgeChunk {
    const n = this.chunks.length === 0 ? FIRST_CHUNK : Math.min(this.cur.src.length * 2, MAX_CHUNK);
    this.cur = { src: new Int32Array(n), dst: new Int32Array(n), rel: new Uint8Array(n), length: 0 };
    this.chunks.push(this.cur);
    return this.cur;
  }
}

export interface Graph {
  n: number;
  /** Edges of v are offsets[v] .. offsets[v+1]-1. */
  offsets: Int32Array;
  targets: Int32Array;
  masks: Uint8Array;
}

/** Builds CSR; repeated (from, to) pairs become one edge whose mask ORs their relations. */
export function toCsr(n: number, edges: EdgeList): Graph {
  const counts = new Int32Array(n + 1);
  for (const c of edges.chunks) for (let i = 0; i < c.length; i++) counts[c.src[i] + 1]++;
  for (let v = 0; v < n; v++) counts[v + 1] += counts[v];
  const fill = counts.slice(0, n);
  const tmpT = new Int32Array(edges.length);
  const tmpM = new Uint8Array(edges.length);
  for (const c of edges.chunks) {
    for (let i = 0; i < c.length; i++) {
      const p = fill[c.src[i]]++;
      tmpT[p] = c.dst[i];
      tmpM[p] = c.rel[i];
    }
  }
  // Deduplicate in place, row by row: slotOf[w] holds w's slot in the current row, valid while rowOf[w] === v.
  const offsets = new Int32Array(n + 1);
  const slotOf = new Int32Array(n);
  const rowOf = new Int32Array(n).fill(-1);
  let out = 0;
  for (let v = 0; v < n; v++) {
    offsets[v] = out;
    for (let p = counts[v]; p < counts[v + 1]; p++) {
      const w = tmpT[p];
      if (rowOf[w] === v) {
        tmpM[slotOf[w]] |= tmpM[p];
      } else {
        rowOf[w] = v;
        slotOf[w] = out;
        tmpT[out] = w;
        tmpM[out] = tmpM[p];
        out++;
      }
    }
  }
  offsets[n] = out;
  return { n, offsets, targets: tmpT.slice(0, out), masks: tmpM.slice(0, out) };
}

/**
 * Local ids by global vertex, -1 for vertices outside the current subgraph; shared by all calls (they are
 * synchronous) and reset after each, so thousands of small SCCs cost neither a Map nor an array of n apiece.
 */
let localIds = new Int32Array(0);

/** Drops the scratch ids (4 bytes per transaction of the largest graph seen) once a check is done with them. */
export function releaseSubgraphScratch(): void {
  localIds = new Int32Array(0);
}

/** The subgraph induced by `vertices` (local ids follow their order), keeping only edges with a relation in `relMask`. */
export function inducedSubgraph(g: Graph, vertices: ArrayLike<number>, relMask: number): Graph {
  if (localIds.length < g.n) localIds = new Int32Array(g.n).fill(-1);
  const local = localIds;
  const m = vertices.length;
  for (let i = 0; i < m; i++) local[vertices[i]] = i;
  let count = 0;
  for (let i = 0; i < m; i++) {
    const v = vertices[i];
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) if ((g.masks[e] & relMask) !== 0 && local[g.targets[e]] >= 0) count++;
  }
  const offsets = new Int32Array(m + 1);
  const targets = new Int32Array(count);
  const masks = new Uint8Array(count);
  let out = 0;
  for (let i = 0; i < m; i++) {
    offsets[i] = out;
    const v = vertices[i];
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
      const mask = g.masks[e] & relMask;
      const w = local[g.targets[e]];
      if (mask === 0 || w < 0) continue;
      targets[out] = w;
      masks[out] = mask;
      out++;
    }
  }
  offsets[m] = out;
  for (let i = 0; i < m; i++) local[vertices[i]] = -1;
  return { n: m, offsets, targets, masks };
}
