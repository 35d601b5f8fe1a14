/**
 * Findings of checkers the report has no special view for (set, counter, session guarantees, and whatever comes
 * next), as tables: each top-level list of records becomes one table, its columns the records' fields. History
 * lines become links to the blamed operations. Lists of figures rather than problems are left to the JSON view.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import { lineRef, type Anchors } from './blamed-table.ts';
import { esc } from './escape.ts';
import { brief } from './format.ts';

const MAX_ROWS = 50;
const MAX_COLS = 9;
const FIGURES = new Set(['throughput', 'windows', 'regions', 'unchecked', 'recovered', 'stale', 'latency', 'latencyMs']);

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const isLineField = (k: string): boolean => k === 'line' || /Line$/.test(k);

function cell(k: string, v: unknown, blamed: Anchors): string {
  if (isLineField(k) && typeof v === 'number') return lineRef(v, blamed);
  // An operation reference such as `{line, region, session}`: the line as a link, the rest as words.
  const o = rec(v);
  if (o && typeof o.line === 'number') {
    const rest = Object.entries(o).filter(([x]) => x !== 'line').map(([x, y]) => `${x} ${typeof y === 'string' ? y : brief(y, 40)}`);
    return `${lineRef(o.line, blamed)}${rest.length ? ` <span class="note">${esc(rest.join(', '))}</span>` : ''}`;
  }
  if (typeof v === 'string') return esc(v.length > 200 ? `${v.slice(0, 199)}…` : v);
  return `<code>${esc(brief(v, 120))}</code>`;
}

export function renderProblemLists(r: CheckResult, blamed: Anchors): string {
  let out = '';
  for (const [name, list] of Object.entries(r)) {
    if (FIGURES.has(name) || !Array.isArray(list) || list.length === 0 || !list.every((x) => rec(x))) continue;
    const rows = list.slice(0, MAX_ROWS) as Record<string, unknown>[];
    const cols: string[] = [];
    for (const row of rows) for (const k of Object.keys(row)) if (!cols.includes(k) && cols.length < MAX_COLS) cols.push(k);
    out += `<h4>${esc(name)} <span class="note">(${list.length > MAX_ROWS ? `${MAX_ROWS} of ${list.length} shown` : list.length})</span></h4><div class="scroll"><table class="grid"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>`;
    for (const row of rows) out += `<tr>${cols.map((c) => `<td>${row[c] === undefined ? '' : cell(c, row[c], blamed)}</td>`).join('')}</tr>`;
    out += '</tbody></table></div>';
    if (list.length > MAX_ROWS) out += `<p class="note">${MAX_ROWS} of ${list.length} shown; the other ${list.length - MAX_ROWS} are in results.json</p>`;
  }
  return out;
}
