/**
 * The linearizability counterexample as steps a person can follow: the longest order the checker found (each op
 * with the model state after it), then the operation that no order could place, and the states it was tried in.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import type { Blame } from './anomaly.ts';
import { lineRef } from './blamed-table.ts';
import { lineOf, describeOp } from './describe-op.ts';
import { esc } from './escape.ts';
import { brief, text } from './format.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;


export function renderCounterexample(r: CheckResult, blamed: ReadonlyMap<number, readonly Blame[]>): string {
  const list = Array.isArray(r.counterexample) ? r.counterexample : r.counterexample ? [r.counterexample] : [];
  let out = '';
  for (const c of list.slice(0, 5)) out += one(rec(c) ?? {}, blamed);
  const parts = rec(r.partitions);
  if (parts) {
    const entries = Object.entries(parts);
    const bad = entries.filter(([, p]) => rec(p)?.valid === false);
    const unk = entries.filter(([, p]) => rec(p)?.valid !== false && rec(p)?.valid !== true);
    out += `<p class="note">${entries.length} key${entries.length === 1 ? '' : 's'} checked independently: ${bad.length} not linearizable${bad.length ? ` (${esc(bad.slice(0, 12).map(([k]) => k).join(', '))}${bad.length > 12 ? ', …' : ''})` : ''}, ${unk.length} undecided.</p>`;
  }
  return out;
}

function one(c: Record<string, unknown>, blamed: ReadonlyMap<number, readonly Blame[]>): string {
  const prefix = Array.isArray(c.prefix) ? c.prefix : [];
  const stuck = rec(c.stuck);
  let out = `<div class="cx"><p>On key <code>${esc(text(c.key, 80))}</code>, the checker placed ${prefix.length} operation${prefix.length === 1 ? '' : 's'} in an order consistent with real time and the model`;
  out += stuck ? `, and then the operation on ${lineRef(lineOf(stuck), blamed)} could not be placed: every order tried makes it return something the model forbids.</p>` : '.</p>';
  out += '<ol class="steps">';
  const shown = prefix.length > 60 ? [...prefix.slice(0, 20), undefined, ...prefix.slice(-30)] : prefix;
  for (const s of shown) {
    if (s === undefined) {
      out += `<li class="gap">… ${prefix.length - 50} more steps …</li>`;
      continue;
    }
    const st = rec(s) ?? {};
    out += `<li>${lineRef(lineOf(st), blamed)} <code class="op">${esc(describeOp(st.op ?? st))}</code> <span class="arrow">⇒</span> <code class="state">${esc(brief(st.state, 100))}</code></li>`;
  }
  if (stuck) {
    out += `<li class="stuck">${lineRef(lineOf(stuck), blamed)} <code class="op">${esc(describeOp(stuck.op ?? stuck))}</code> <span class="arrow">✗</span> cannot be placed`;
    if (Array.isArray(c.states) && c.states.length) out += ` in any reachable state: <code class="state">${esc(c.states.slice(0, 8).map((x) => brief(x, 40)).join(' · '))}${c.states.length > 8 ? ' …' : ''}</code>`;
    out += '</li>';
  }
  return `${out}</ol></div>`;
}
