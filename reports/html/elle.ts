/**
 * Elle's findings. A cycle is shown as its transactions (T1, T2, … with their micro-ops and history lines) and then
 * its steps, each edge with the checker's plain-language reason; the last step is the one that closes the cycle —
 * the contradiction. Non-cycle anomalies (G1a, incompatible order, internal, …) show the operation they concern and
 * their details. Also reads a single `explanation` string, the shape of the design notes.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import { lineRef, type Anchors } from './blamed-table.ts';
import { describeOp, lineOf } from './describe-op.ts';
import { esc } from './escape.ts';
import { brief, text } from './format.ts';
import { jsonTree } from './json-tree.ts';
import { cycleGraph, renderCycleGraph } from './elle-graph.ts';


const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const MAX_PER_TYPE = 8;
const SHOWN_APART = new Set(['type', 'txns', 'steps', 'text', 'explanation', 'cycle', 'dotFile']);

export function renderElle(r: CheckResult, blamed: Anchors): string {
  let out = '';
  if (Array.isArray(r.models) && r.models.length) out += `<p>Checked against: ${r.models.map((m) => `<span class="chip">${esc(String(m))}</span>`).join(' ')}</p>`;
  const nots = [r.not, r.alsoNot].filter(Array.isArray).flat() as unknown[];
  if (nots.length) out += `<p>Rules out: ${nots.map((m) => `<span class="chip bad">${esc(String(m))}</span>`).join(' ')}</p>`;
  const anomalies = rec(r.anomalies) ?? {};
  for (const [type, list] of Object.entries(anomalies)) {
    const items = Array.isArray(list) ? list : [list];
    out += `<h4><span class="chip bad">${esc(type)}</span> ${items.length} found</h4>`;
    for (const a of items.slice(0, MAX_PER_TYPE)) out += anomaly(rec(a) ?? { value: a }, blamed);
    if (items.length > MAX_PER_TYPE) out += `<p class="note">${MAX_PER_TYPE} of ${items.length} ${esc(type)} shown; the rest are in results.json</p>`;
  }
  return out;
}

function anomaly(a: Record<string, unknown>, blamed: Anchors): string {
  const graph = cycleGraph(a);
  let out = graph ? `<div class="cycle with-graph">${renderCycleGraph(graph)}` : '<div class="cycle">';
  if (typeof a.explanation === 'string') out += `<p class="explain">${esc(a.explanation)}</p>`;
  if (Array.isArray(a.txns)) {
    out += '<ul class="txns">';
    for (const t of a.txns.map(rec)) {
      if (!t) continue;
      out += `<li>${t.name === undefined ? '' : `<b>${esc(text(t.name, 12))}</b> `}${lineRef(lineOf(t), blamed)} <code class="op">${esc(brief(t.value, 160))}</code> <span class="note">process ${esc(text(t.process, 12))}, ${esc(text(t.type, 8))}</span></li>`;
    }
    out += '</ul>';
  }
  if (Array.isArray(a.steps)) {
    const steps: unknown[] = a.steps;
    out += '<ol class="steps why">';
    steps.forEach((s, i) => {
      const st = rec(s) ?? {};
      const last = i === steps.length - 1;
      // Transactions go by their history line here too, the numbering the graph and the rest of the page use.
      const at = (name: unknown, line: unknown): string => `<b>${esc(text(name, 12))}</b>${typeof line === 'number' ? ` <span class="ln">line ${line}</span>` : ''}`;
      out += `<li${last ? ' class="closes"' : ''}>${at(st.from, st.fromLine)} <span class="edge">—${esc(text(st.rel, 12))}→</span> ${at(st.to, st.toLine)}${typeof st.text === 'string' ? ` because ${esc(st.text)}` : ''}${last ? ' — which closes the cycle: a contradiction.' : ''}</li>`;
    });
    out += '</ol>';
  } else if (Array.isArray(a.cycle)) {
    out += '<ol class="steps">';
    for (const s of a.cycle) {
      const st: Record<string, unknown> = rec(s) ?? { value: s };
      const edge = [st.edge, st.rel, st.relation].find((x) => typeof x === 'string') as string | undefined;
      out += `<li>${lineRef(lineOf(st), blamed)} <code class="op">${esc(describeOp(st.txn ?? st.op ?? st.value ?? st))}</code>${edge ? ` <span class="edge">—${esc(edge)}→</span>` : ''}</li>`;
    }
    out += '</ol>';
  } else if (!Array.isArray(a.txns)) {
    const l = lineOf(a);
    if (l !== undefined) out += `<p>${lineRef(l, blamed)}${a.key !== undefined ? ` on key <code>${esc(text(a.key, 60))}</code>` : ''}</p>`;
  }
  const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !SHOWN_APART.has(k)));
  if (Object.keys(rest).length) out += jsonTree(rest, { openDepth: Array.isArray(a.txns) || Array.isArray(a.cycle) ? 0 : 1 });
  return `${out}</div>`;
}
