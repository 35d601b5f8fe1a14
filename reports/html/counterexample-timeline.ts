/**
 * A close-up timeline for one counterexample: only the operations on its key, around the operation that could not
 * be placed, one lane per process. The linearized ones carry their position in the order the checker found, so a
 * reader can see which operations overlapped the stuck one and why no order works.
 */
import { esc } from './escape.ts';
import { brief, duration } from './format.ts';
import type { Span } from './spans.ts';
import { linear, n1 } from './svg.ts';

const GUTTER = 90;
const LANE_H = 20;
const MAX_OPS = 120;

export interface CloseUp {
  key: string;
  /** Span of the operation that could not be placed. */
  stuck: Span;
  /** History invoke line → position (1-based) in the longest linearizable prefix. */
  order: ReadonlyMap<number, number>;
}

function label(s: Span): string {
  const arg = s.invoke.value === null || s.invoke.value === undefined ? '' : brief(s.invoke.value, 24);
  const res = s.complete && s.type === 'ok' ? ` → ${brief(s.complete.value, 24)}` : ` (${s.type})`;
  return `${s.invoke.f} ${arg}${res}`.replace(/\s+/g, ' ');
}

export function renderCloseUp(spans: readonly Span[], c: CloseUp, width = 1100): string {
  const onKey = spans.filter((s) => s.invoke.key === c.key);
  const ordered = onKey.filter((s) => c.order.has(s.invoke.line));
  // The last few placed operations before it are what the stuck one conflicts with; earlier ones only shrink the view.
  const before = ordered.filter((s) => s.start <= c.stuck.end).sort((a, b) => b.end - a.end).slice(0, 3);
  const from = Math.min(c.stuck.start, ...before.map((s) => s.start));
  const pad = Math.max((c.stuck.end - from) * 0.08, 1e5);
  const lo = from - pad;
  const hi = c.stuck.end + pad;
  const shown = onKey
    .filter((s) => s.end >= lo && s.start <= hi)
    .sort((a, b) => Math.abs(a.start - c.stuck.start) - Math.abs(b.start - c.stuck.start))
    .slice(0, MAX_OPS);
  const procs = [...new Set(shown.map((s) => s.process))].sort((a, b) => a - b);
  const height = 26 + procs.length * LANE_H + 6;
  const x = linear([lo, hi], [GUTTER, width - 10]);
  let out = `<svg class="closeup" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Operations on the key around the counterexample">`;
  out += '<g class="axis">';
  for (const t of x.ticks(6)) out += `<line x1="${n1(x(t))}" x2="${n1(x(t))}" y1="18" y2="${height}"/><text x="${n1(x(t))}" y="12">${esc(`${+(t / 1e9).toPrecision(6)} s`)}</text>`;
  out += '</g>';
  procs.forEach((p, i) => {
    const y = 24 + i * LANE_H;
    const region = shown.find((s) => s.process === p)?.region ?? '';
    out += `<text class="lane" x="4" y="${n1(y + 12)}">${esc(`p${p} ${region}`)}</text>`;
    for (const s of shown.filter((z) => z.process === p)) {
      const a = Math.max(x(s.start), GUTTER);
      const b = Math.min(x(s.end), width - 10);
      const w = Math.max(b - a, 2);
      const pos = c.order.get(s.invoke.line);
      const stuck = s === c.stuck;
      const cls = stuck ? 'cu stuck' : pos !== undefined ? 'cu placed' : `cu other ${s.type}`;
      const text = label(s);
      const title = `line ${s.invoke.line}${s.complete ? `→${s.complete.line}` : ''} · ${text} · ${duration(s.end - s.start)}${pos !== undefined ? ` · #${pos} in the order found` : ''}${stuck ? ' · cannot be placed' : ''}`;
      out += `<g class="${cls}"><title>${esc(title)}</title><rect x="${n1(a)}" y="${n1(y + 2)}" width="${n1(w)}" height="${LANE_H - 6}" rx="2"/>`;
      const tag = pos !== undefined ? `#${pos} ` : stuck ? '✗ ' : '';
      const fit = Math.floor((w - 6) / 6);
      if (fit >= 3) {
        const t = `${tag}${text}`;
        out += `<text x="${n1(a + 3)}" y="${n1(y + 13)}">${esc(t.length > fit ? `${t.slice(0, fit - 1)}…` : t)}</text>`;
      }
      out += '</g>';
    }
  });
  return `${out}</svg>`;
}
