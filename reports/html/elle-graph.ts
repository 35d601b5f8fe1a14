/**
 * An Elle cycle drawn: its transactions as nodes on a circle and its dependencies as labelled arrows (ww, wr, rw,
 * realtime, process), each arrow carrying the checker's evidence as its tooltip and the step list beside it. Nodes
 * are named by history line, the numbering the rest of the report uses.
 */
import { attrs, esc } from './escape.ts';
import { text } from './format.ts';
import { lineOf } from './describe-op.ts';

export interface CycleEdge {
  from: number;
  to: number;
  rel: string;
  evidence?: string;
}

export interface CycleGraph {
  nodes: { label: string; line?: number }[];
  edges: CycleEdge[];
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The graph of an anomaly in either shape the checker gives: `txns` + `steps`, or a `cycle` list of ops with edges. */
export function cycleGraph(a: Record<string, unknown>): CycleGraph | undefined {
  if (Array.isArray(a.steps) && a.steps.length) {
    // Nodes from the transactions when given, else from the steps' ends (each step names its lines).
    const nodes: CycleGraph['nodes'] = [];
    const index = new Map<string, number>();
    const node = (name: string, line: number | undefined): number => {
      const known = index.get(name);
      if (known !== undefined) {
        if (nodes[known].line === undefined && line !== undefined) nodes[known] = { label: `line ${line}`, line };
        return known;
      }
      index.set(name, nodes.length);
      return nodes.push({ label: line === undefined ? name : `line ${line}`, line }) - 1;
    };
    (Array.isArray(a.txns) ? a.txns : []).forEach((t, i) => {
      const r = rec(t) ?? {};
      node(text(r.name ?? `T${i + 1}`, 12), lineOf(r));
    });
    const edges: CycleEdge[] = [];
    for (const s of a.steps.map((x) => rec(x) ?? {})) {
      if (s.from === undefined || s.to === undefined) return undefined;
      const from = node(text(s.from, 12), typeof s.fromLine === 'number' ? s.fromLine : undefined);
      const to = node(text(s.to, 12), typeof s.toLine === 'number' ? s.toLine : undefined);
      edges.push({ from, to, rel: text(s.rel ?? '?', 12), evidence: typeof s.text === 'string' ? s.text : undefined });
    }
    return { nodes, edges };
  }
  if (Array.isArray(a.cycle) && a.cycle.length > 1) {
    const items = a.cycle.map((x) => rec(x) ?? {});
    const nodes = items.map((s, i) => {
      const line = lineOf(s);
      return { label: line === undefined ? `T${i + 1}` : `line ${line}`, line };
    });
    const edges = items.map((s, i) => ({ from: i, to: (i + 1) % items.length, rel: text([s.edge, s.rel, s.relation].find((x) => typeof x === 'string') ?? '?', 12) }));
    return { nodes, edges };
  }
  return undefined;
}

const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

export function renderCycleGraph(g: CycleGraph): string {
  const n = g.nodes.length;
  const W = 380;
  const r = n <= 2 ? 70 : n <= 4 ? 85 : 110;
  const H = 2 * r + 70;
  const cx = W / 2;
  const cy = H / 2;
  const pos = g.nodes.map((_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as const;
  });
  const NODE_R = 24;
  let out = `<svg class="cycle-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`Dependency cycle: ${g.edges.map((e) => `${g.nodes[e.from].label} ${e.rel} ${g.nodes[e.to].label}`).join(', ')}`)}">`;
  // Two edges between the same pair bend to opposite sides, so both labels stay readable.
  g.edges.forEach((e, k) => {
    const [x0, y0] = pos[e.from];
    const [x1, y1] = pos[e.to];
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const bend = e.from === e.to ? 0 : 28 * (g.edges.some((o, j) => j !== k && o.from === e.to && o.to === e.from) ? 1 : 0.5);
    const mx = (x0 + x1) / 2 - uy * bend;
    const my = (y0 + y1) / 2 + ux * bend;
    const sx = x0 + ux * NODE_R;
    const sy = y0 + uy * NODE_R;
    const ex = x1 - ux * (NODE_R + 2);
    const ey = y1 - uy * (NODE_R + 2);
    const cls = `edge rel-${e.rel.replace(/[^a-z-]/gi, '')}${k === g.edges.length - 1 ? ' closes' : ''}`;
    const title = `${g.nodes[e.from].label} —${e.rel}→ ${g.nodes[e.to].label}${e.evidence ? `: ${e.evidence}` : ''}`;
    // The arrowhead is drawn, not a marker: the page allows no url() references at all.
    const hx = ex - mx;
    const hy = ey - my;
    const hl = Math.hypot(hx, hy) || 1;
    const [ax, ay] = [hx / hl, hy / hl];
    const head = `M${n1(ex)} ${n1(ey)}L${n1(ex - ax * 9 - ay * 4.5)} ${n1(ey - ay * 9 + ax * 4.5)}L${n1(ex - ax * 9 + ay * 4.5)} ${n1(ey - ay * 9 - ax * 4.5)}z`;
    out += `<g${attrs({ class: cls })}><title>${esc(title)}</title><path${attrs({ class: 'arc', d: `M${n1(sx)} ${n1(sy)}Q${n1(mx)} ${n1(my)} ${n1(ex)} ${n1(ey)}` })}/><path${attrs({ class: 'head', d: head })}/>`;
    out += `<text${attrs({ x: n1(mx), y: n1(my + 4) })}>${esc(e.rel)}</text></g>`;
  });
  g.nodes.forEach((node, i) => {
    const [x, y] = pos[i];
    out += `<g class="node"><circle${attrs({ cx: n1(x), cy: n1(y), r: NODE_R })}/><text${attrs({ x: n1(x), y: n1(y + 4) })}>${esc(node.label)}</text></g>`;
  });
  return `${out}</svg>`;
}
