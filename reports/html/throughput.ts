/**
 * Completions per second over the run, stacked by outcome, with the fault windows behind: the quickest way to see
 * a region stall when it is partitioned, or a timeout storm after a kill.
 */
import { attrs, esc } from './escape.ts';
import { shadeWindows } from './fault-shading.ts';
import type { FaultTimeline } from './fault-windows.ts';
import { at, duration, grouped } from './format.ts';
import type { Spans } from './spans.ts';
import { linear, n1, niceTicks } from './svg.ts';

const L = 64;
const R = 14;
const T = 10;
const B = 26;

export function renderThroughput(sp: Spans, faults: FaultTimeline, opts: { width?: number; height?: number; buckets?: number } = {}): string {
  if (sp.spans.length === 0) return '';
  const width = opts.width ?? 1136;
  const height = opts.height ?? 180;
  const t0 = sp.t0;
  const t1 = Math.max(sp.t1, t0 + 1);
  // Whole milliseconds/seconds per bucket read better than 37.3 ms.
  const step = niceTicks(0, t1 - t0, opts.buckets ?? 120)[1] ?? t1 - t0;
  const n = Math.max(1, Math.ceil((t1 - t0) / step));
  const counts = Array.from({ length: n }, () => ({ ok: 0, fail: 0, info: 0 }));
  for (const s of sp.spans) {
    const t = s.complete ? s.end : t1;
    counts[Math.min(n - 1, Math.max(0, Math.floor((t - t0) / step)))][s.type]++;
  }
  const perSec = 1e9 / step;
  const max = Math.max(1, ...counts.map((c) => (c.ok + c.fail + c.info) * perSec));
  const x = linear([t0, t1], [L, width - R]);
  const y = linear([0, max], [height - B, T]);
  let out = `<svg class="throughput" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Throughput over time">`;
  out += shadeWindows(faults, x, T, height - B, sp.t1);
  out += '<g class="axis">';
  for (const v of y.ticks(4)) out += `<line x1="${L}" x2="${width - R}" y1="${n1(y(v))}" y2="${n1(y(v))}"/><text class="y" x="${L - 6}" y="${n1(y(v))}">${esc(grouped(v))}/s</text>`;
  for (const t of x.ticks(8)) out += `<text x="${n1(x(t))}" y="${height - 8}">${esc(`${+(t / 1e9).toPrecision(6)} s`)}</text>`;
  out += '</g>';
  counts.forEach((c, i) => {
    if (c.ok + c.fail + c.info === 0) return;
    const a = x(t0 + i * step);
    const w = Math.max(x(t0 + (i + 1) * step) - a - 0.4, 0.6);
    let base = height - B;
    out += `<g><title>${esc(`${at(t0 + i * step)} + ${duration(step)}: ${c.ok} ok, ${c.fail} fail, ${c.info} info`)}</title>`;
    for (const type of ['ok', 'fail', 'info'] as const) {
      if (!c[type]) continue;
      const h = Math.max(height - B - y(c[type] * perSec), 0.8);
      base -= h;
      out += `<rect${attrs({ class: `op ${type}`, x: n1(a), y: n1(base), width: n1(w), height: n1(h) })}/>`;
    }
    out += '</g>';
  });
  return `${out}</svg>`;
}
