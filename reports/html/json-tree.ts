/**
 * Any JSON value as nested, collapsible HTML (`<details>` works without JS). Used for checkers the report has no
 * special view for, so a new checker's findings are readable the day it lands. Big values are cut with a note:
 * the full data is in results.json.
 */
import { esc } from './escape.ts';
import { grouped } from './format.ts';

const MAX_STRING = 400;

export interface TreeOptions {
  /** Items shown per array/object before "… N more". */
  maxItems?: number;
  /** Total nodes rendered before the rest is elided. */
  maxNodes?: number;
  /** Depth up to which containers start open. */
  openDepth?: number;
}

export function jsonTree(value: unknown, opts: TreeOptions = {}): string {
  const maxItems = opts.maxItems ?? 40;
  const openDepth = opts.openDepth ?? 1;
  let budget = opts.maxNodes ?? 3000;

  const leaf = (v: unknown): string => {
    if (v === null) return '<span class="j-null">null</span>';
    if (typeof v === 'string') {
      const shown = v.length > MAX_STRING ? `${JSON.stringify(v.slice(0, MAX_STRING))}…` : JSON.stringify(v);
      return `<span class="j-str">${esc(shown)}</span>${v.length > MAX_STRING ? `<span class="j-more"> (${grouped(v.length)} characters)</span>` : ''}`;
    }
    if (typeof v === 'number' || typeof v === 'bigint') return `<span class="j-num">${esc(String(v))}</span>`;
    if (typeof v === 'boolean') return `<span class="j-bool">${v}</span>`;
    return `<span class="j-null">${esc(String(v))}</span>`;
  };

  const node = (v: unknown, depth: number): string => {
    if (--budget < 0) return '<span class="j-more">…</span>';
    if (v === null || typeof v !== 'object') return leaf(v);
    const isArr = Array.isArray(v);
    const entries: [string, unknown][] = isArr ? (v as unknown[]).map((x, i) => [String(i), x]) : Object.entries(v as object);
    if (entries.length === 0) return `<span class="j-null">${isArr ? '[]' : '{}'}</span>`;
    const shown = entries.slice(0, maxItems);
    let body = '';
    for (const [k, x] of shown) body += `<li><span class="j-key">${esc(k)}</span>: ${node(x, depth + 1)}</li>`;
    if (entries.length > shown.length) body += `<li class="j-more">… ${entries.length - shown.length} more (see results.json)</li>`;
    const summary = isArr ? `[${entries.length}]` : `{${entries.length}}`;
    return `<details class="j"${depth < openDepth ? ' open' : ''}><summary>${summary}</summary><ul>${body}</ul></details>`;
  };

  return `<div class="json">${node(value, 0)}</div>`;
}
