import { PROCESS, REALTIME, RW, WR, WW, type Graph } from './graph.ts';

/**
 * Concrete cycle search inside one SCC. Each anomaly is a small automaton over the relations a cycle uses;
 * a BFS over (vertex, automaton state) finds a shortest cycle of that shape. The state packs:
 * bits 0-1 rw edges seen (capped at 2), bit 2 last edge was rw, bit 3 a wr edge seen, bit 4 the variant's
 * required edge (process or realtime) seen.
 */
export type CycleBase = 'G0' | 'G1c' | 'G-single-item' | 'G-nonadjacent-item' | 'G2-item';
export type Variant = '' | '-process' | '-realtime';

export interface CycleSpec {
  name: string;
  base: CycleBase;
  variant: Variant;
  /** Relations a cycle of this shape may use. */
  allowed: number;
  /** A relation every such cycle has; searches start from edges carrying it. */
  startRel: number;
}

const BASE_ALLOWED: Record<CycleBase, number> = { G0: WW, G1c: WW | WR, 'G-single-item': WW | WR | RW, 'G-nonadjacent-item': WW | WR | RW, 'G2-item': WW | WR | RW };
const BASE_START: Record<CycleBase, number> = { G0: WW, G1c: WR, 'G-single-item': RW, 'G-nonadjacent-item': RW, 'G2-item': RW };

function spec(base: CycleBase, variant: Variant): CycleSpec {
  const extra = variant === '-process' ? PROCESS : variant === '-realtime' ? PROCESS | REALTIME : 0;
  const startRel = variant === '-process' ? PROCESS : variant === '-realtime' ? REALTIME : BASE_START[base];
  return { name: base + variant, base, variant, allowed: BASE_ALLOWED[base] | extra, startRel };
}

const BASES: CycleBase[] = ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item'];
/** Most severe first: pure data cycles, then those needing session order, then those needing real time. */
export const CYCLE_SPECS: readonly CycleSpec[] = (['', '-process', '-realtime'] as Variant[]).flatMap((v) => BASES.map((b) => spec(b, v)));

const RW_COUNT = 3, LAST_RW = 4, SAW_WR = 8, SAW_EXTRA = 16, STATES = 32;

function step(s: CycleSpec, state: number, rel: number): number {
  let rw = state & RW_COUNT;
  if (rel === RW) {
    if (s.base === 'G-single-item' && rw >= 1) return -1;
    if (s.base === 'G-nonadjacent-item' && state & LAST_RW) return -1;
    rw = rw < 2 ? rw + 1 : 2;
  }
  let next = rw | (state & (SAW_WR | SAW_EXTRA));
  if (rel === RW) next |= LAST_RW;
  if (rel === WR) next |= SAW_WR;
  if ((rel === PROCESS && s.variant === '-process') || (rel === REALTIME && s.variant === '-realtime')) next |= SAW_EXTRA;
  return next;
}

function accepts(s: CycleSpec, state: number, firstRel: number): boolean {
  if (s.variant !== '' && !(state & SAW_EXTRA)) return false;
  const rw = state & RW_COUNT;
  switch (s.base) {
    case 'G0': return true;
    case 'G1c': return (state & SAW_WR) !== 0;
    case 'G-single-item': return rw === 1;
    case 'G-nonadjacent-item': return rw === 2 && !(state & LAST_RW && firstRel === RW);
    case 'G2-item': return rw === 2;
  }
}

/** A cycle: vertices[i] → vertices[i+1] (and the last back to the first) by rels[i], one relation bit each. */
export interface FoundCycle {
  vertices: number[];
  rels: number[];
}

export class SearchTimeout extends Error {
  constructor(readonly spec: string) {
    super(`cycle search for ${spec} ran out of time`);
  }
}

/**
 * BFS buffers shared by all searches (they are synchronous, so never in use twice at once) and grown on demand:
 * thousands of small SCCs would otherwise allocate four arrays per search. `seen` holds the stamp of the search
 * that last visited a state, so it never needs clearing.
 */
let buffers = { seen: new Int32Array(0), parent: new Int32Array(0), parentRel: new Uint8Array(0), queue: new Int32Array(0) };
let stampCounter = 0;

function scratch(size: number): typeof buffers {
  if (buffers.seen.length < size) {
    const cap = Math.max(size, buffers.seen.length * 2);
    buffers = { seen: new Int32Array(cap), parent: new Int32Array(cap), parentRel: new Uint8Array(cap), queue: new Int32Array(cap) };
    stampCounter = 0;
  }
  return buffers;
}

/** Drops the buffers (a large SCC can grow them to tens of MB) once a check is done with them. */
export function releaseSearchBuffers(): void {
  buffers = { seen: new Int32Array(0), parent: new Int32Array(0), parentRel: new Uint8Array(0), queue: new Int32Array(0) };
  stampCounter = 0;
}

function nextStamp(): number {
  if (stampCounter === 0x7fffffff) {
    buffers.seen.fill(0);
    stampCounter = 0;
  }
  return ++stampCounter;
}

/** Deadline checks cost a clock read; do one every this many expansions. */
const CHECK_EVERY = 1024;

/**
 * Finds a shortest cycle of `spec`'s shape in `g` (an SCC with local ids), or undefined.
 * Throws SearchTimeout once performance.now() passes `deadline`.
 */
export function findCycle(g: Graph, s: CycleSpec, deadline: number): FoundCycle | undefined {
  const { n, offsets, targets, masks } = g;
  const { seen, parent, parentRel, queue } = scratch(n * STATES);
  let work = 0;
  for (let a = 0; a < n; a++) {
    for (let e = offsets[a]; e < offsets[a + 1]; e++) {
      if (!(masks[e] & s.startRel)) continue;
      const b = targets[e];
      const s0 = step(s, 0, s.startRel);
      if (s0 < 0) continue;
      const stamp = nextStamp();
      let head = 0, tail = 0;
      const start = b * STATES + s0;
      seen[start] = stamp;
      parent[start] = -1;
      queue[tail++] = start;
      while (head < tail) {
        if (++work % CHECK_EVERY === 0 && performance.now() > deadline) throw new SearchTimeout(s.name);
        const cur = queue[head++];
        const v = (cur / STATES) | 0;
        const st = cur % STATES;
        for (let f = offsets[v]; f < offsets[v + 1]; f++) {
          const w = targets[f];
          if (w === b) continue;
          let m = masks[f] & s.allowed;
          while (m !== 0) {
            const rel = m & -m;
            m ^= rel;
            const ns = step(s, st, rel);
            if (ns < 0) continue;
            if (w === a) {
              if (accepts(s, ns, s.startRel)) return unwind(a, s.startRel, cur, rel, parent, parentRel);
              continue;
            }
            const code = w * STATES + ns;
            if (seen[code] === stamp) continue;
            seen[code] = stamp;
            parent[code] = cur;
            parentRel[code] = rel;
            queue[tail++] = code;
          }
        }
      }
    }
  }
  return undefined;
}

function unwind(a: number, firstRel: number, last: number, closingRel: number, parent: Int32Array, parentRel: Uint8Array): FoundCycle {
  const path: number[] = [];
  const rels: number[] = [closingRel];
  for (let c = last; c !== -1; c = parent[c]) {
    path.push((c / STATES) | 0);
    if (parent[c] !== -1) rels.push(parentRel[c]);
  }
  path.reverse();
  rels.reverse();
  return { vertices: [a, ...path], rels: [firstRel, ...rels] };
}

/** Any cycle through vertex 0 of a strongly connected `g`, by plain BFS: the fallback when a typed search times out. */
export function anyCycle(g: Graph): FoundCycle | undefined {
  const { n, offsets, targets, masks } = g;
  const parent = new Int32Array(n).fill(-2);
  const parentRel = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  queue[tail++] = 0;
  parent[0] = -1;
  while (head < tail) {
    const v = queue[head++];
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const w = targets[e];
      const rel = masks[e] & -masks[e];
      if (w === 0) {
        const vertices: number[] = [];
        const rels: number[] = [rel];
        for (let c = v; c !== -1; c = parent[c]) {
          vertices.push(c);
          if (parent[c] !== -1) rels.push(parentRel[c]);
        }
        return { vertices: vertices.reverse(), rels: rels.reverse() };
      }
      if (parent[w] !== -2) continue;
      parent[w] = v;
      parentRel[w] = rel;
      queue[tail++] = w;
    }
  }
  return undefined;
}

/** Names a cycle by the relations it uses (CHECKERS.md §3.5 step 5). */
export function classify(rels: readonly number[]): string {
  const k = rels.length;
  let rw = 0, adjacent = false, wr = false, proc = false, rt = false;
  for (let i = 0; i < k; i++) {
    const r = rels[i];
    if (r === RW) {
      rw++;
      if (rels[(i + 1) % k] === RW && k > 1) adjacent = true;
    }
    if (r === WR) wr = true;
    if (r === PROCESS) proc = true;
    if (r === REALTIME) rt = true;
  }
  const base = rw === 1 ? 'G-single-item' : rw > 1 ? (adjacent ? 'G2-item' : 'G-nonadjacent-item') : wr ? 'G1c' : 'G0';
  return base + (rt ? '-realtime' : proc ? '-process' : '');
}
