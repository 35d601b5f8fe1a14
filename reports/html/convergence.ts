/**
 * Convergence figures: how long after each fault window ended the regions agreed again, with the bounds the probes
 * allow, and which keys still disagreed at the end. The per-window bar makes slow heals stand out at a glance.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';
import { at, brief, durationMs, text } from './format.ts';
import { jsonTree } from './json-tree.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Window times may be ns (history time) or ms; values from the convergence checker are ns like the history. */
const time = (v: unknown): string => (num(v) === undefined ? '—' : at(v as number));

function bounds(b: unknown): string {
  if (Array.isArray(b) && b.length === 2) return `${num(b[0]) !== undefined ? durationMs(b[0]) : '?'} – ${num(b[1]) !== undefined ? durationMs(b[1]) : '?'}`;
  const o = rec(b);
  if (o) {
    const lo = num(o.lower ?? o.lo ?? o.min);
    const hi = num(o.upper ?? o.hi ?? o.max);
    if (lo !== undefined || hi !== undefined) return `${lo !== undefined ? durationMs(lo) : '?'} – ${hi !== undefined ? durationMs(hi) : '?'}`;
  }
  return b === undefined ? '' : brief(b, 40);
}

export function renderConvergence(r: CheckResult): string {
  let out = '';
  const windows = Array.isArray(r.windows) ? r.windows.map((w) => rec(w) ?? {}) : [];
  if (windows.length) {
    const max = Math.max(1, ...windows.map((w) => num(w.convergedAfterMs) ?? 0));
    out += '<table class="grid"><thead><tr><th>#</th><th>fault</th><th>window</th><th>converged after</th><th>bounds</th><th></th></tr></thead><tbody>';
    windows.forEach((w, i) => {
      const after = num(w.convergedAfterMs);
      const ok = w.converged !== false && after !== undefined;
      const bar = after === undefined ? '' : `<span class="bar" style="width:${((after / max) * 100).toFixed(1)}%"></span>`;
      out += `<tr class="${ok ? '' : 'bad'}"><td>${i + 1}</td><td>${esc(text(w.kind ?? w.f ?? '?', 40))}</td><td>${time(w.start)} → ${time(w.end)}</td>`;
      out += `<td class="num barcell">${bar}<span>${after === undefined ? '—' : esc(durationMs(after))}</span></td><td class="num">${esc(bounds(w.bounds))}</td>`;
      out += `<td>${ok ? '<span class="chip good">converged</span>' : '<span class="chip bad">not converged</span>'}</td></tr>`;
    });
    out += '</tbody></table>';
  } else {
    out += '<p class="note">No per-window convergence figures (the workload ran no convergence probes, or no fault window ended).</p>';
  }
  const keys = rec(r.keys);
  if (keys) {
    const entries = Object.entries(keys);
    const bad = entries.filter(([, v]) => rec(v)?.valid === false || rec(v)?.agree === false || rec(v)?.converged === false);
    out += `<p>${entries.length} key${entries.length === 1 ? '' : 's'} read in every region at the end; ${bad.length ? `<strong>${bad.length} disagree</strong>` : 'all agree'}.</p>`;
    for (const [k, v] of bad.slice(0, 20)) out += `<div class="keydiff"><code>${esc(text(k, 80))}</code>${jsonTree(v, { openDepth: 2 })}</div>`;
    if (bad.length > 20) out += `<p class="note">… ${bad.length - 20} more in results.json</p>`;
  }
  return out;
}
