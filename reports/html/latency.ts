/**
 * Latency figures from the history itself: a quantile table per operation and a chart of latency over time with
 * the fault windows behind it. Only completed operations have a latency; `info` ops are counted, not timed, because
 * their real duration is unknown.
 */
import type { Blame } from './anomaly.ts';
import { esc } from './escape.ts';
import { shadeWindows } from './fault-shading.ts';
import type { FaultTimeline } from './fault-windows.ts';
import { duration, text } from './format.ts';
import type { Span, Spans } from './spans.ts';
import { linear, log10, n1 } from './svg.ts';
import { byText } from './text-order.ts';

export interface LatencyRow {
  /** The operation name, or the region, depending on how the table is grouped. */
  group: string;
  ok: number;
  fail: number;
  info: number;
  /** Over ok and fail completions, ns; undefined when there are none. */
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function latencyTable(spans: readonly Span[], by: 'f' | 'region' = 'f'): LatencyRow[] {
  const groups = new Map<string, { row: LatencyRow; lat: number[] }>();
  for (const s of spans) {
    const g = by === 'f' ? s.invoke.f : s.region;
    let e = groups.get(g);
    if (!e) groups.set(g, (e = { row: { group: g, ok: 0, fail: 0, info: 0 }, lat: [] }));
    e.row[s.type]++;
    if (s.complete && s.type !== 'info') e.lat.push(s.end - s.start);
  }
  return [...groups.values()]
    .map(({ row, lat }) => {
      lat.sort((a, b) => a - b);
      return { ...row, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), p99: quantile(lat, 0.99), max: lat[lat.length - 1] };
    })
    .sort((a, b) => byText(a.group, b.group));
}

export interface LatencyChartOptions {
  width?: number;
  height?: number;
  /** Above this many completed ops, draw per-bucket quantile lines instead of one dot per op. */
  maxPoints?: number;
  buckets?: number;
}

export interface LatencyChart {
  svg: string;
  mode: 'points' | 'quantiles' | 'empty';
}

const L = 64;
const R = 14;
const T = 10;
const B = 26;

export function renderLatencyChart(
  sp: Spans,
  faults: FaultTimeline,
  blamed: ReadonlyMap<number, readonly Blame[]>,
  opts: LatencyChartOptions = {},
): LatencyChart {
  const width = opts.width ?? 1136;
  const height = opts.height ?? 260;
  const done = sp.spans.filter((s) => s.complete && s.type !== 'info');
  if (done.length === 0) return { svg: '', mode: 'empty' };
  let lo = Infinity;
  let hi = 0;
  for (const s of done) {
    const l = Math.max(s.end - s.start, 1);
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const x = linear([sp.t0, Math.max(sp.t1, sp.t0 + 1)], [L, width - R]);
  const y = log10([10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(Math.max(hi, lo * 10)))], [height - B, T]);
  let out = `<svg class="latency" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Latency over time">`;
  out += shadeWindows(faults, x, T, height - B, sp.t1);
  out += '<g class="axis">';
  for (const t of y.ticks(6)) {
    const py = n1(y(t));
    out += `<line x1="${L}" x2="${width - R}" y1="${py}" y2="${py}"/><text class="y" x="${L - 6}" y="${py}">${esc(duration(t))}</text>`;
  }
  for (const t of x.ticks(8)) {
    const px = n1(x(t));
    out += `<line x1="${px}" x2="${px}" y1="${T}" y2="${height - B}"/><text x="${px}" y="${height - 8}">${esc(`${+(t / 1e9).toPrecision(6)} s`)}</text>`;
  }
  out += '</g>';
  const many = done.length > (opts.maxPoints ?? 4000);
  if (!many) {
    const r = done.length < 400 ? 3 : 2;
    for (const s of done) {
      const b = blamed.get(s.invoke.line) ?? blamed.get(s.complete!.line);
      out += `<circle class="pt ${s.type}${b ? ' blamed' : ''}" cx="${n1(x(s.end))}" cy="${n1(y(s.end - s.start))}" r="${b ? r + 1.5 : r}"><title>${esc(`line ${s.invoke.line} · ${s.invoke.f} ${text(s.invoke.key ?? '', 30)} · ${s.type} · ${duration(s.end - s.start)}${b ? ` · BLAMED by ${b.map((z) => z.checker).join(', ')}` : ''}`)}</title></circle>`;
    }
    // Timeouts have no latency, but where they cluster matters: a tick along the top at each one's invoke.
    const infos = sp.spans.filter((s) => s.type === 'info').slice(0, opts.maxPoints ?? 4000);
    for (const s of infos) out += `<path class="tick info" d="M${n1(x(s.start))} ${T}v6"><title>${esc(`line ${s.invoke.line} · ${s.invoke.f} · info${s.complete?.error ? ` (${s.complete.error})` : ''}: outcome unknown`)}</title></path>`;
  } else {
    out += quantileLines(done, x, y, opts.buckets ?? 240);
  }
  out += '</svg>';
  return { svg: out, mode: many ? 'quantiles' : 'points' };
}

function quantileLines(done: readonly Span[], x: ReturnType<typeof linear>, y: ReturnType<typeof log10>, buckets: number): string {
  const [t0, t1] = x.domain;
  const w = (t1 - t0) / buckets;
  const cells: number[][] = Array.from({ length: buckets }, () => []);
  for (const s of done) cells[Math.min(buckets - 1, Math.max(0, Math.floor((s.end - t0) / w)))].push(s.end - s.start);
  const series: Record<'p50' | 'p99' | 'max', string[]> = { p50: [], p99: [], max: [] };
  for (let i = 0; i < buckets; i++) {
    const c = cells[i].sort((a, b) => a - b);
    if (c.length === 0) continue;
    const px = n1(x(t0 + (i + 0.5) * w));
    series.p50.push(`${px},${n1(y(quantile(c, 0.5)!))}`);
    series.p99.push(`${px},${n1(y(quantile(c, 0.99)!))}`);
    series.max.push(`${px},${n1(y(c[c.length - 1]))}`);
  }
  return (['max', 'p99', 'p50'] as const)
    .map((k) => `<polyline class="q ${k}" points="${series[k].join(' ')}"><title>${k} latency per ${duration(w)} bucket</title></polyline>`)
    .join('');
}
