/** Availability per region inside and outside fault windows, from the availability checker's figures. */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';
import { byText } from './text-order.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function pct(a: unknown): string {
  const o = rec(a);
  const f = o?.fraction;
  if (typeof f !== 'number') return '<span class="note">—</span>';
  const cls = f >= 0.99 ? 'good' : f >= 0.9 ? 'unknown' : 'bad';
  return `<span class="chip ${cls}">${(f * 100).toFixed(1)}%</span> <span class="note">${esc(String(o!.ok))}/${esc(String(o!.total))}</span>`;
}

export const hasAvailability = (r: CheckResult): boolean => rec(r.regions) !== undefined && rec(r.overall) !== undefined;

export function renderAvailability(r: CheckResult): string {
  const regions = rec(r.regions) ?? {};
  const overall = rec(r.overall) ?? {};
  const kinds = [...new Set([overall, ...Object.values(regions)].flatMap((x) => Object.keys(rec(rec(x)?.byKind) ?? {})))].sort();
  const row = (name: string, a: Record<string, unknown>, cls = ''): string =>
    `<tr${cls}><td>${esc(name)}</td><td>${pct(a.outside)}</td><td>${pct(a.inside)}</td>${kinds.map((k) => `<td>${pct(rec(a.byKind)?.[k])}</td>`).join('')}</tr>`;
  let out = `<table class="grid"><thead><tr><th>region</th><th>ok outside faults</th><th>ok inside faults</th>${kinds.map((k) => `<th>during ${esc(k)}</th>`).join('')}</tr></thead><tbody>`;
  for (const [name, a] of Object.entries(regions).sort(([x], [y]) => byText(x, y))) out += row(name, rec(a) ?? {});
  out += row('all regions', overall, ' class="total"');
  const judged = typeof r.threshold === 'number' ? `Judged against a threshold of ${(r.threshold * 100).toFixed(1)}% ok outside fault windows in every region.` : 'No threshold was set, so these are measurements, not a verdict.';
  return `${out}</tbody></table><p class="note">Fraction of client operations that completed ok, by whether they were invoked while a fault was in force. Chips: green at 99% or more, amber from 90%, red below. ${judged}</p>`;
}
