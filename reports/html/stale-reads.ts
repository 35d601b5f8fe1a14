/** The stale-read measurement: how often reads were behind, and by how many versions and milliseconds. */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';

export const hasStaleReads = (r: CheckResult): boolean => typeof r?.staleFraction === 'number' && typeof r?.reads === 'number';

const cell = (d: unknown, k: string, digits: number): string => {
  const v = (d as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'number' ? v.toFixed(digits) : '–';
};

export function renderStaleReads(entries: readonly [string, CheckResult][]): string {
  const rows = entries.map(([n, r]) => {
    const q = (d: unknown, digits: number) => ['p50', 'p90', 'p99', 'max'].map((k) => `<td>${cell(d, k, digits)}</td>`).join('');
    return `<tr><td>${esc(n)}</td><td>${esc(String(r.reads))}</td><td>${esc(String(r.stale))} (${((r.staleFraction as number) * 100).toFixed(1)}%)</td>${q(r.versionsBehind, 0)}${q(r.msBehind, 0)}</tr>`;
  });
  return `<p class="note">A read is stale when a write to its key completed before the read was invoked, and began after the write the read returned had completed. Versions behind: how many such writes; ms behind: since the first of them completed. Quantiles are over the stale reads.</p>` +
    `<div class="scroll"><table class="grid"><thead><tr><th rowspan="2">checker</th><th rowspan="2">reads</th><th rowspan="2">stale</th><th colspan="4">versions behind</th><th colspan="4">ms behind</th></tr><tr><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
