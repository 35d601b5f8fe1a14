/** The operations the checkers blame, as a table with history lines, so a reader can go straight to the file. */
import type { IndexedOp } from '../../harness/core/op.ts';
import type { Blame } from './anomaly.ts';
import { esc } from './escape.ts';
import { at, brief, duration, grouped, text } from './format.ts';
import type { Span } from './spans.ts';

const MAX_ROWS = 1500;

/** History lines that have an anchor (`#op-N`) in the blamed table. */
export interface Anchors {
  has(line: number): boolean;
}

/** "line N", linked to its row in the blamed table when it has one. */
export function lineRef(l: number | undefined, anchors: Anchors): string {
  if (l === undefined) return '<span class="ln">—</span>';
  return anchors.has(l) ? `<a class="ln" href="#op-${l}">line ${l}</a>` : `<span class="ln">line ${l}</span>`;
}

export function renderBlamedTable(
  blamed: ReadonlyMap<number, readonly Blame[]>,
  byLine: ReadonlyMap<number, Span>,
  history: readonly IndexedOp[],
): { html: string; anchors: Anchors } {
  const anchors = new Set<number>();
  if (blamed.size === 0) return { html: '', anchors };
  const opAt = new Map<number, IndexedOp>();
  for (const l of blamed.keys()) if (!byLine.has(l) && history[l - 1]?.line === l) opAt.set(l, history[l - 1]);
  // One row per operation: a checker may name its invoke line, its completion line, or both.
  const rows = new Map<number, { lines: number[]; blame: Blame[] }>();
  for (const l of [...blamed.keys()].sort((a, b) => a - b)) {
    const first = byLine.get(l)?.invoke.line ?? l;
    const row = rows.get(first) ?? { lines: [], blame: [] };
    rows.set(first, row);
    row.lines.push(l);
    for (const b of blamed.get(l)!) if (!row.blame.some((x) => x.checker === b.checker && x.what === b.what)) row.blame.push(b);
  }
  let out = `<table class="grid ops" id="blamed"><thead><tr><th>line</th><th>time</th><th>process</th><th>region</th><th>op</th><th>outcome</th><th>latency</th><th>blamed by</th></tr></thead><tbody>`;
  const all = [...rows.entries()];
  for (const [l, row] of all.slice(0, MAX_ROWS)) {
    const s = byLine.get(l);
    const op = s?.invoke ?? opAt.get(l);
    const by = row.blame.map((x) => `<span class="chip bad">${esc(x.checker)}: ${esc(x.what)}</span>`).join(' ');
    for (const x of row.lines) anchors.add(x);
    const extra = row.lines.slice(1).map((x) => `<a id="op-${x}"></a>`).join('');
    if (!op) {
      out += `<tr id="op-${row.lines[0]}"><td class="num">${extra}${l}</td><td colspan="6" class="note">not a line of this history</td><td>${by}</td></tr>`;
      continue;
    }
    const c = s?.complete;
    const what = `${op.f}${op.key !== undefined ? ` ${text(op.key, 40)}` : ''} ${brief(op.value, 60)}`;
    const outcome = s ? `${s.type}${c ? ` ${brief(c.value, 60)}` : ''}${c?.error ? ` (${c.error})` : ''}` : op.type;
    out += `<tr id="op-${row.lines[0]}"><td class="num">${extra}${s ? `${s.invoke.line}${c ? `→${c.line}` : ''}` : l}</td><td class="num">${at(op.time)}</td><td>${esc(String(op.process))}</td><td>${esc(op.region ?? '')}</td>`;
    out += `<td><code>${esc(what)}</code></td><td class="t-${esc(s?.type ?? op.type)}"><code>${esc(outcome)}</code></td><td class="num">${s && c ? duration(s.end - s.start) : '—'}</td><td>${by}</td></tr>`;
  }
  out += '</tbody></table>';
  if (all.length > MAX_ROWS) out += `<p class="note">${grouped(MAX_ROWS)} of ${grouped(all.length)} shown · … ${all.length - MAX_ROWS} more blamed operations in results.json</p>`;
  return { html: out, anchors };
}
