import { anyCycle, classify, CYCLE_SPECS, findCycle, SearchTimeout, type FoundCycle } from './cycles.ts';
import { ALL, DATA, EdgeList, inducedSubgraph, PROCESS, REALTIME, RW, toCsr, WR, WW, type Graph } from './graph.ts';
import { impliedAnomalies } from './models.ts';
import { stronglyConnected } from './scc.ts';

const VARIANTS = ['', '-process', '-realtime'];

function splitType(t: string): [string, number] {
  for (let v = VARIANTS.length - 1; v > 0; v--) if (t.endsWith(VARIANTS[v])) return [t.slice(0, -VARIANTS[v].length), v];
  return [t, 0];
}

/** `covered` by the found types, in the order found: there are few combinations, and thousands of SCCs ask. */
const coveredCache = new Map<string, ReadonlySet<string>>();

/**
 * Cycle types not worth searching for once `found` holds: those it implies, and their weaker variants
 * (a cycle without session or real-time edges is trivially one that may use them).
 */
function covered(found: Iterable<string>): ReadonlySet<string> {
  const types = [...found];
  const key = types.join(' ');
  const cached = coveredCache.get(key);
  if (cached) return cached;
  const made = new Set<string>();
  for (const t of types) {
    const [base, v] = splitType(t);
    for (const b of impliedAnomalies([base])) for (let w = v; w < VARIANTS.length; w++) made.add(b + VARIANTS[w]);
  }
  coveredCache.set(key, made);
  return made;
}

/**
 * Relations whose cycles each model forbids (CHECKERS.md §3.5 step 3), for the cheap proof when a search times out;
 * named by Elle's canonical model names, as its `<model>-cycle-exists` anomalies are. With item reads only, PL-2.99
 * (repeatable read) and PL-3 (serializable) forbid the same cycles.
 */
const PROJECTIONS: readonly [string, number][] = [
  ['PL-1', WW],
  ['PL-2', WW | WR],
  ['PL-2.99', DATA],
  ['PL-3', DATA],
  ['strong-session-PL-1', WW | PROCESS],
  ['strong-session-PL-2', WW | WR | PROCESS],
  ['strong-session-serializable', DATA | PROCESS],
  ['strong-PL-1', WW | PROCESS | REALTIME],
  ['strong-PL-2', WW | WR | PROCESS | REALTIME],
  ['PL-SS', ALL],
];

/**
 * Snapshot isolation forbids cycles in A ∪ A;rw, where A is the dependency order it must respect (ww ∪ wr, plus
 * session or real-time order for its strong variants): every anti-dependency must follow an A edge.
 */
const SI_PROJECTIONS: readonly [string, number][] = [
  ['PL-SI', WW | WR],
  ['strong-session-snapshot-isolation', WW | WR | PROCESS],
  ['strong-snapshot-isolation', WW | WR | PROCESS | REALTIME],
];

function siCycleExists(g: Graph, a: number): boolean {
  const { n, offsets, targets, masks } = g;
  const el = new EdgeList();
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      if (!(masks[e] & a)) continue;
      const v = targets[e];
      el.add(u, v, WW);
      for (let f = offsets[v]; f < offsets[v + 1]; f++) if (masks[f] & RW) el.add(u, targets[f], WW);
    }
  }
  return stronglyConnected(toCsr(n, el)).length > 0;
}

export interface SccOutcome {
  /** Cycles found, by anomaly type, in local ids of the SCC's subgraph (`vertices` maps them back). */
  cycles: Map<string, FoundCycle>;
  vertices: Int32Array;
  timeout?: { sccSize: number; spec: string; notSearched: string[]; cycleExists: string[] };
}

/** Searches one SCC for a cycle of each anomaly type, most severe first, within `deadline` (performance.now()). */
export function searchScc(g: Graph, vertices: Int32Array, deadline: number): SccOutcome {
  const sub = inducedSubgraph(g, vertices, ALL);
  let present = 0;
  for (let e = 0; e < sub.masks.length; e++) present |= sub.masks[e];
  const cycles = new Map<string, FoundCycle>();
  let skip: ReadonlySet<string> = new Set<string>();
  for (let i = 0; i < CYCLE_SPECS.length; i++) {
    const spec = CYCLE_SPECS[i];
    // Most SCCs lack some relations outright (no session edges, say); their searches would find nothing.
    if (skip.has(spec.name) || !(present & spec.startRel)) continue;
    let c: FoundCycle | undefined;
    try {
      c = findCycle(sub, spec, deadline);
    } catch (e) {
      if (!(e instanceof SearchTimeout)) throw e;
      const fallback = anyCycle(sub);
      if (fallback) {
        const type = classify(fallback.rels);
        if (!cycles.has(type)) cycles.set(type, fallback);
      }
      const cycleExists = [
        ...PROJECTIONS.filter(([, rels]) => stronglyConnected(sub, rels).length > 0),
        ...SI_PROJECTIONS.filter(([, a]) => siCycleExists(sub, a)),
      ].map(([m]) => `${m}-cycle-exists`);
      const notSearched = CYCLE_SPECS.slice(i).map((s) => s.name).filter((n) => !covered(cycles.keys()).has(n));
      return { cycles, vertices, timeout: { sccSize: vertices.length, spec: spec.name, notSearched, cycleExists } };
    }
    if (c) {
      const type = classify(c.rels);
      if (!cycles.has(type)) {
        cycles.set(type, c);
        skip = covered(cycles.keys());
      }
    }
  }
  return { cycles, vertices };
}
