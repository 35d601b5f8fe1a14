/**
 * Elle's findings: per anomaly type, each cycle as a chain of transactions joined by dependency edges, with the
 * checker's plain-language explanation first — that sentence is what tells a reader why the cycle is impossible.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import type { Blame } from './anomaly.ts';
import { lineRef } from './blamed-table.ts';
import { describeOp, lineOf } from './describe-op.ts';
import { esc } from './escape.ts';
import { jsonTree } from './json-tree.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);
const MAX_PER_TYPE = 8;

function edgeOf(step: Record<string, unknown>): string | undefined {
  for (const k of ['edge', 'rel', 'relation', 'edges', 'rels']) {
    const v = step[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.join('+');
  }
  return typeof step.type === 'string' && !OP_TYPES.has(step.type) ? step.type : undefined;
}

export function renderElle(r: CheckResult, blamed: ReadonlyMap<number, readonly Blame[]>): string {
  let out = '';
  const nots = [r.not, r.alsoNot].filter(Array.isArray).flat() as unknown[];
  if (nots.length) out += `<p>Rules out: ${nots.map((m) => `<span class="chip bad">${esc(String(m))}</span>`).join(' ')}</p>`;
  const anomalies = rec(r.anomalies) ?? {};
  for (const [type, list] of Object.entries(anomalies)) {
    const items = Array.isArray(list) ? list : [list];
    out += `<h4><span class="chip bad">${esc(type)}</span> ${items.length} found</h4>`;
    for (const a of items.slice(0, MAX_PER_TYPE)) out += anomaly(rec(a) ?? { value: a }, blamed);
    if (items.length > MAX_PER_TYPE) out += `<p class="note">… ${items.length - MAX_PER_TYPE} more ${esc(type)} in results.json</p>`;
  }
  return out;
}

function anomaly(a: Record<string, unknown>, blamed: ReadonlyMap<number, readonly Blame[]>): string {
  let out = '<div class="cycle">';
  if (typeof a.explanation === 'string') out += `<p class="explain">${esc(a.explanation)}</p>`;
  if (Array.isArray(a.cycle)) {
    out += '<ol class="steps">';
    for (const s of a.cycle) {
      const st: Record<string, unknown> = rec(s) ?? { value: s };
      const edge = edgeOf(st);
      const l = lineOf(st);
      out += `<li>${l === undefined ? '' : `${lineRef(l, blamed)} `}<code class="op">${esc(describeOp(st.txn ?? st.op ?? st.value ?? st))}</code>${edge ? ` <span class="edge">—${esc(edge)}→</span>` : ''}</li>`;
    }
    out += '</ol>';
  }
  const rest = Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'explanation' && k !== 'cycle'));
  if (Object.keys(rest).length) out += jsonTree(rest, { openDepth: 0 });
  return `${out}</div>`;
}
