/**
 * One trend chart as inline SVG: a slot per suite run along x, a line and a dot per series, every dot a link to the
 * page behind it (with its value as the tooltip). Drawn in Node, so the chart needs no script and no network.
 */
import { esc } from '../../reports/html/escape.ts';
import { linear, n1, niceTicks } from '../../reports/html/svg.ts';
import type { TrendChart } from './trends.ts';

const W = 300;
const H = 160;
const M = { left: 46, right: 10, top: 36, bottom: 24 };
const COLOURS = ['#2b6cb0', '#c53030', '#2f855a', '#b7791f'];

const tickLabel = (v: number, percent?: boolean): string => (percent ? `${Math.round(v * 100)}%` : String(v));
const slotLabel = (iso: string): string => iso.slice(5, 16).replace('T', ' ');

export function renderTrendChart(chart: TrendChart, slots: readonly string[], id: string): string {
  const values = chart.series.flatMap((s) => s.points.map((p) => p.value));
  const head = `<svg class="trend" id="${esc(id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${chart.title} per suite run`)}">` +
    `<text class="t" x="${M.left}" y="14">${esc(chart.title)}${chart.unit && !chart.percent ? ` (${esc(chart.unit)})` : ''}</text>`;
  if (values.length === 0) return `${head}<text class="none" x="${W / 2}" y="${H / 2}" text-anchor="middle">not measured</text></svg>`;
  const top = chart.percent ? 1 : Math.max(...values) * 1.1 || 1;
  const ticks = chart.percent ? [0, 0.5, 1] : niceTicks(0, top, 4);
  const yMax = Math.max(top, ticks[ticks.length - 1]);
  const x = linear([-0.5, Math.max(0.5, slots.length - 0.5)], [M.left, W - M.right]);
  const y = linear([0, yMax], [H - M.bottom, M.top]);
  const grid = ticks.map((t) => `<line class="g" x1="${M.left}" x2="${W - M.right}" y1="${n1(y(t))}" y2="${n1(y(t))}"/><text class="yl" x="${M.left - 4}" y="${n1(y(t) + 3)}" text-anchor="end">${esc(tickLabel(t, chart.percent))}</text>`).join('');
  const firstLast = slots.length > 1 ? [0, slots.length - 1] : [0];
  const xLabels = firstLast.map((i) => `<text class="xl" x="${n1(x(i))}" y="${H - 8}" text-anchor="${slots.length > 1 ? (i === 0 ? 'start' : 'end') : 'middle'}">${esc(slotLabel(slots[i]))}</text>`).join('');
  const series = chart.series.map((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const line = pts.length > 1 ? `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${pts.map((p) => `${n1(x(p.x))},${n1(y(p.value))}`).join(' ')}"/>` : '';
    const dots = pts.map((p) => {
      const dot = `<circle class="pt" cx="${n1(x(p.x))}" cy="${n1(y(p.value))}" r="4.5" fill="${colour}"><title>${esc(p.title)}</title></circle>`;
      return p.href ? `<a href="${esc(p.href)}" aria-label="${esc(p.title)}">${dot}</a>` : dot;
    }).join('');
    return `<g class="series" data-series="${esc(s.label)}">${line}${dots}</g>`;
  }).join('');
  // Under the title, one entry after another (about 6 px a character at this size).
  let at = M.left;
  const legend = chart.series.length > 1
    ? chart.series.map((s, i) => {
      const item = `<text class="lg" x="${at}" y="28" fill="${COLOURS[i % COLOURS.length]}">● ${esc(s.label)}</text>`;
      at += (s.label.length + 2) * 6 + 12;
      return item;
    }).join('')
    : '';
  return `${head}${legend}${grid}${xLabels}${series}</svg>`;
}
