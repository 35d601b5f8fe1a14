import type { FoundCycle } from './cycles.ts';
import { PROCESS, REALTIME, relName, type RelName } from './graph.ts';
import type { Inference } from './inference.ts';
import { txnRef, type Key, type Txn, type TxnRef } from './txns.ts';

export interface CycleStep {
  from: string;
  to: string;
  rel: RelName;
  key?: Key;
  value?: unknown;
  /** Micro-op indexes in `from` and `to` that justify a data edge. */
  aMop?: number;
  bMop?: number;
  /** History lines of the two transactions' completions (or invocations, if they never completed). */
  fromLine: number;
  toLine: number;
  text: string;
}

export interface CycleExplanation {
  type: string;
  txns: (TxnRef & { name: string })[];
  steps: CycleStep[];
  text: string;
  /** Set when the checker was given an outDir: the Graphviz file drawn for this cycle. */
  dotFile?: string;
}

const DOT_LABEL: Record<RelName, string> = { ww: 'ww', wr: 'wr', rw: 'rw', process: 'p', realtime: 'rt' };

function orderReason(a: Txn, b: Txn, rel: number, A: string, B: string): string {
  if (rel === PROCESS) return `process ${a.process} executed ${A} before ${B}`;
  const gap = ((b.invoke.time - a.complete!.time) / 1e9).toFixed(3);
  return `${A} completed at index ${a.complete!.index}, ${gap} s before the invocation of ${B}`;
}

/** Names the cycle's transactions T1…Tk and justifies each edge, as data first and then as one sentence per edge. */
export function explainCycle(type: string, cycle: FoundCycle, txns: readonly Txn[], inference: Inference): CycleExplanation {
  const k = cycle.vertices.length;
  const name = (i: number): string => `T${(i % k) + 1}`;
  const refs = cycle.vertices.map((v) => txnRef(txns[v]));
  // Object literals with every field spelled out: spreading a base object into each step is several times slower.
  const steps: CycleStep[] = [];
  for (let i = 0; i < k; i++) {
    const a = txns[cycle.vertices[i]];
    const b = txns[cycle.vertices[(i + 1) % k]];
    const rel = cycle.rels[i];
    const from = name(i), to = name(i + 1);
    const fromLine = refs[i].line, toLine = refs[(i + 1) % k].line;
    if (rel === PROCESS || rel === REALTIME) {
      steps.push({ from, to, rel: relName(rel), fromLine, toLine, text: orderReason(a, b, rel, from, to) });
      continue;
    }
    const why = inference.explain(a, b, rel);
    if (!why) throw new Error(`internal error: no justification for ${relName(rel)} edge between lines ${fromLine} and ${toLine}`);
    steps.push({ from, to, rel: relName(rel), fromLine, toLine, key: why.key, value: why.value, aMop: why.aMop, bMop: why.bMop, text: why.text(from, to) });
  }
  let text = 'Let:';
  for (let i = 0; i < k; i++) {
    const t = txns[cycle.vertices[i]];
    text += `\n  ${name(i)} = ${JSON.stringify(t.mops)} (process ${t.process}, line ${refs[i].line}, ${t.outcome})`;
  }
  text += '\n\nThen:';
  for (let i = 0; i < k; i++) {
    const s = steps[i];
    text += i < k - 1 ? `\n  - ${s.from} < ${s.to}, because ${s.text}.` : `\n  - However, ${s.from} < ${s.to}, because ${s.text}: a contradiction!`;
  }
  const named: CycleExplanation['txns'] = [];
  for (let i = 0; i < k; i++) {
    const r = refs[i];
    named.push({ name: name(i), process: r.process, type: r.type, invokeLine: r.invokeLine, line: r.line, index: r.index, value: r.value });
  }
  return { type, txns: named, steps, text };
}

/** Graphviz source for one explained cycle, edges labelled ww, wr, rw, rt and p. */
export function cycleDot(e: CycleExplanation): string {
  const out = [`digraph "${e.type}" {`, '  node [shape=box, fontname="monospace"];'];
  for (const t of e.txns) out.push(`  ${t.name} [label=${JSON.stringify(`${t.name}\nline ${t.line}, process ${t.process}`)}];`);
  for (const s of e.steps) out.push(`  ${s.from} -> ${s.to} [label=${JSON.stringify(DOT_LABEL[s.rel])}];`);
  out.push('}');
  return out.join('\n') + '\n';
}
