/**
 * The linearizability counterexample as steps a person can follow: the longest order the checker found (each op
 * with the model state after it), then the operation that no order could place, and the states it was tried in.
 * Reads both the checker's shape (`longestPrefix`, `cannotPlace`, `statesReached`) and the shorter one of the
 * design notes (`prefix`, `stuck`, `states`).
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import { lineRef, type Anchors } from './blamed-table.ts';
import { describeOp, lineOf } from './describe-op.ts';
import { renderCloseUp } from './counterexample-timeline.ts';
import { esc } from './escape.ts';
import { counterexampleSentence } from './lin-sentence.ts';
import { text } from './format.ts';
import { spansByLine, type Span } from './spans.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const MAX_SHOWN = 5;

/** Every counterexample in a result: the top one, then those of other illegal keys. */
function counterexamples(r: CheckResult): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const top = Array.isArray(r.counterexample) ? r.counterexample : r.counterexample ? [r.counterexample] : [];
  for (const c of top) if (rec(c)) out.push(rec(c)!);
  for (const p of Object.values(rec(r.partitions) ?? {})) {
    const c = rec(rec(p)?.counterexample);
    if (c && !out.some((o) => o.key === c.key)) out.push(c);
  }
  return out;
}

export function renderCounterexample(r: CheckResult, blamed: Anchors, spans: readonly Span[] = []): string {
  const all = counterexamples(r);
  const byLine = spansByLine(spans);
  let out = all.slice(0, MAX_SHOWN).map((c) => one(c, blamed, spans, byLine)).join('');
  if (all.length > MAX_SHOWN) out += `<p class="note">… ${all.length - MAX_SHOWN} more keys with counterexamples in results.json</p>`;
  const parts = rec(r.partitions);
  if (parts) {
    const entries = Object.entries(parts);
    const bad = entries.filter(([, p]) => rec(p)?.valid === false);
    const unk = entries.filter(([, p]) => rec(p)?.valid !== false && rec(p)?.valid !== true);
    out += `<p class="note">${entries.length} key${entries.length === 1 ? '' : 's'} checked independently: ${bad.length} not linearizable${bad.length ? ` (${esc(bad.slice(0, 12).map(([k]) => k).join(', '))}${bad.length > 12 ? `, … 12 of ${bad.length} shown` : ''})` : ''}, ${unk.length} undecided.</p>`;
    if (unk.length) {
      const why = (p: unknown): string => {
        const reason = String(rec(p)?.reason ?? 'unknown');
        return reason === 'stopped' ? 'stopped: another key was already found not linearizable' : reason === 'timeout' ? 'the time budget ran out' : reason === 'memory' ? 'the memory cap was reached' : reason;
      };
      out += `<p class="note undecided">Undecided: ${unk.slice(0, 20).map(([k, p]) => `<code>${esc(text(k, 40))}</code> (${esc(why(p))})`).join(', ')}${unk.length > 20 ? ` — 20 of ${unk.length} shown` : ''}.</p>`;
    }
  }
  return out;
}

/** Where the timeline's "see it in the linearization order" link lands for the op on line `l`. */
const stepAnchor = (l: number | undefined): string => (l === undefined ? '' : `<span class="step-at" id="cx-step-${l}" data-explore-line="${l}"></span>`);

function one(c: Record<string, unknown>, blamed: Anchors, spans: readonly Span[], byLine: ReadonlyMap<number, Span>): string {
  const prefix = (Array.isArray(c.longestPrefix) ? c.longestPrefix : Array.isArray(c.prefix) ? c.prefix : []) as unknown[];
  const stuck = rec(c.cannotPlace) ?? rec(c.stuck);
  const states = (Array.isArray(c.statesReached) ? c.statesReached : Array.isArray(c.states) ? c.states : []) as unknown[];
  // The checker keeps only the end of a long prefix; number the steps by their place in the whole order.
  const total = typeof c.prefixLength === 'number' && c.prefixLength >= prefix.length ? c.prefixLength : prefix.length;
  const first = total - prefix.length + 1;
  const sentence = counterexampleSentence(c, byLine);
  let out = `<div class="cx">${sentence ? `<p class="cx-sentence"><strong>${esc(sentence)}</strong></p>` : ''}<p>On key <code>${esc(text(c.key, 80))}</code>, the checker placed ${total} operation${total === 1 ? '' : 's'} in an order consistent with real time and the model`;
  out += stuck ? `, and then the operation on ${lineRef(lineOf(stuck), blamed)} could not be placed: wherever it goes, it returns something the model forbids or breaks real-time order.` : '.';
  out += total > prefix.length ? ` The last ${prefix.length} of them are listed.</p>` : '</p>';
  out += first > 1 ? `<ol class="steps" start="${first}">` : '<ol class="steps">';
  const shown = prefix.length > 60 ? [...prefix.slice(0, 20), undefined, ...prefix.slice(-30)] : prefix;
  for (const s of shown) {
    if (s === undefined) {
      out += `<li class="gap">… ${prefix.length - 50} more steps …</li>`;
      continue;
    }
    const st = rec(s) ?? {};
    const at = shown.length < prefix.length && s === prefix[prefix.length - 30] ? ` value="${first + prefix.length - 30}"` : '';
    const l = lineOf(st);
    out += `<li${at}>${lineRef(l, blamed)} <code class="op">${esc(describeOp(st.op ?? st))}</code> <span class="arrow">⇒</span> <code class="state">${esc(text(st.state, 100))}</code>${stepAnchor(l)}</li>`;
  }
  if (stuck) {
    out += `<li class="stuck">${lineRef(lineOf(stuck), blamed)} <code class="op">${esc(describeOp(stuck.op ?? stuck))}</code> <span class="arrow">✗</span> cannot be placed`;
    if (states.length) out += ` in any state reached: <code class="state">${esc(states.slice(0, 8).map((x) => text(x, 40)).join(' · '))}${states.length > 8 ? ' …' : ''}</code>`;
    out += `${stepAnchor(lineOf(stuck))}</li>`;
  }
  out += '</ol>';
  const stuckSpan = stuck ? byLine.get(lineOf(stuck) ?? -1) : undefined;
  if (stuckSpan && typeof c.key === 'string' && stuckSpan.invoke.key === c.key) {
    const order = new Map<number, number>();
    prefix.forEach((p, i) => {
      const sp = byLine.get(lineOf(p) ?? -1);
      if (sp) order.set(sp.invoke.line, first + i);
    });
    out += `<p class="note">Operations on <code>${esc(c.key)}</code> around it: #n is the position in the order found; ✗ is the operation that cannot be placed.</p><div class="scroll">${renderCloseUp(spans, { key: c.key, stuck: stuckSpan, order })}</div>`;
  }
  if (typeof c.message === 'string') out += `<p class="note">${esc(c.message)}</p>`;
  out += explorer(rec(c.explorer), stuck ? lineOf(stuck) : undefined, byLine);
  return `${out}</div>`;
}

const MAX_UNPLACED = 30;

/**
 * The explorer: one disclosure per operation of the key, opening on the longest partial linearization the checker
 * found that includes it, step by step with the state, the operation itself marked, and the operations no
 * extension of that order could place. Plain HTML, so keyboard and no-JavaScript readers get it too.
 */
function explorer(ex: Record<string, unknown> | undefined, stuckLine: number | undefined, byLine: ReadonlyMap<number, Span>): string {
  if (!ex || !Array.isArray(ex.lines) || !Array.isArray(ex.orderOf) || !Array.isArray(ex.orders)) return '';
  const lines = ex.lines as number[];
  const orders = ex.orders as unknown[][];
  const name = (l: number): string => {
    const sp = byLine.get(l);
    return sp ? describeOp({ invoke: sp.invoke, complete: sp.complete }) : `line ${l}`;
  };
  let out = `<h4>Explore: pick any operation of this key</h4><p class="note">Each opens the longest partial linearization the checker found that includes it${ex.capped ? ' (its search hit its step cap, so a longer one may exist)' : ''}: the order, the model state after each step, and the operations that could not be placed after it.</p><div class="explorer">`;
  lines.forEach((l, i) => {
    const k = (ex.orderOf as number[])[i];
    const order = k >= 0 ? orders[k] : undefined;
    out += `<details id="explore-${l}" data-explore-line="${l}"${l === stuckLine ? ' class="stuck"' : ''}><summary>line ${l}: <code>${esc(name(l))}</code>${order ? ` <span class="note">in an order of ${order.length}</span>` : ' <span class="note">fits in no order</span>'}</summary>`;
    if (!order) {
      out += `<p>No partial linearization the checker found can take this operation: wherever it goes, real-time order or the model rules it out.</p></details>`;
      return;
    }
    const placed = new Set<number>();
    out += '<ol class="steps">';
    for (const st of order.map(rec)) {
      const sl = lineOf(st);
      if (sl !== undefined) placed.add(sl);
      out += `<li${sl === l ? ' class="picked"' : ''}><span class="ln">line ${sl ?? '—'}</span> <code class="op">${esc(describeOp(st?.op ?? st))}</code> <span class="arrow">⇒</span> <code class="state">${esc(text(st?.state, 100))}</code></li>`;
    }
    out += '</ol>';
    const rest = lines.filter((x) => !placed.has(x));
    if (rest.length) out += `<p class="unplaced">Could not be placed after it: ${rest.slice(0, MAX_UNPLACED).map((x) => `line ${x} <code>${esc(name(x))}</code>`).join(', ')}${rest.length > MAX_UNPLACED ? ` (${MAX_UNPLACED} of ${rest.length} shown)` : ''}.</p>`;
    out += '</details>';
  });
  return `${out}</div>`;
}
