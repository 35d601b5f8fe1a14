/** The latency section's tables (by operation and by region) and its chart legend. */
import { esc } from './escape.ts';
import { duration } from './format.ts';
import { latencyTable } from './latency.ts';

export function legendLatency(mode: string): string {
  return mode === 'points'
    ? `<p class="legend"><span class="dot ok"></span>ok <span class="dot fail"></span>fail <span class="dot blamed"></span>blamed <span class="sw info tick"></span> info (tick at invoke) · log scale; each dot is one completed operation at its completion time.</p>`
    : `<p class="legend"><span class="ln50"></span>p50 <span class="ln99"></span>p99 <span class="lnmax"></span>max · log scale; quantiles per time bucket (too many operations for one dot each).</p>`;
}

export function latencyTableHtml(spans: Parameters<typeof latencyTable>[0]): string {
  if (spans.length === 0) return '<p class="note">No client operations.</p>';
  const d = (v: number | undefined): string => (v === undefined ? '—' : duration(v));
  const table = (by: 'f' | 'region'): string =>
    `<table class="grid"><thead><tr><th>${by === 'f' ? 'operation' : 'region'}</th><th class="num">ok</th><th class="num">fail</th><th class="num">info</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>${latencyTable(spans, by)
      .map((r) => `<tr><td><code>${esc(r.group)}</code></td><td class="num">${r.ok}</td><td class="num">${r.fail}</td><td class="num${r.info ? ' warnc' : ''}">${r.info}</td><td class="num">${d(r.p50)}</td><td class="num">${d(r.p95)}</td><td class="num">${d(r.p99)}</td><td class="num">${d(r.max)}</td></tr>`)
      .join('')}</tbody></table>`;
  return `<div class="two">${table('f')}${table('region')}</div><p class="note">Latency of ok and fail completions, invoke to completion. Info operations have no known latency.</p>`;
}
