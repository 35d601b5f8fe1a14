/** Fault windows drawn behind a time chart, so every chart shows when the system was under which fault. */
import { attrs, esc } from './escape.ts';
import type { FaultTimeline, FaultWindow } from './fault-windows.ts';
import { at, duration } from './format.ts';
import { hueFor, n1, type Scale } from './svg.ts';

const HUES: Readonly<Record<string, number>> = {
  partition: 275,
  kill: 0,
  pause: 210,
  latency: 32,
  bandwidth: 48,
  'clock-skew': 170,
};

export const faultHue = (kind: string): number => HUES[kind] ?? hueFor(kind);

export function describeWindow(w: FaultWindow, t1: number): string {
  const end = w.end ?? t1;
  const lines = w.endLine ? `lines ${w.startLine}–${w.endLine}` : `line ${w.startLine}`;
  const until = w.end === undefined ? 'still in force when the history ends' : `until ${at(w.end)} (${w.closedBy})`;
  return `${w.kind}: ${w.label} — from ${at(w.start)} ${until}, ${duration(end - w.start)}; ${lines}`;
}

/** Translucent bands over [y0, y1] for every window. */
export function shadeWindows(f: FaultTimeline, x: Scale, y0: number, y1: number, t1: number): string {
  let out = '';
  for (const w of f.windows) {
    const a = x(w.start);
    const b = x(w.end ?? t1);
    out += `<rect${attrs({ class: 'fw', x: n1(a), y: n1(y0), width: n1(Math.max(b - a, 1)), height: n1(y1 - y0), fill: `hsl(${faultHue(w.kind)} 70% 55%)` })}><title>${esc(describeWindow(w, t1))}</title></rect>`;
  }
  return out;
}

/**
 * Labelled bars for the windows, packed into as few rows as keep labels apart, plus a mark for each fault that
 * failed to take effect. Returns the SVG and the height it used.
 */
export function faultBand(f: FaultTimeline, x: Scale, top: number, t1: number, rowH = 16): { svg: string; height: number } {
  const rowsEnd: number[] = [];
  let out = '';
  for (const w of [...f.windows].sort((p, q) => p.start - q.start)) {
    const a = x(w.start);
    const b = Math.max(x(w.end ?? t1), a + 2);
    const labelEnd = b - a - 6 >= 36 ? b : b + 4 + w.label.length * 6;
    let row = rowsEnd.findIndex((e) => e < a);
    if (row < 0) row = rowsEnd.push(0) - 1;
    rowsEnd[row] = Math.max(b, Math.min(labelEnd, x.range[1])) + 4;
    const y = top + row * rowH;
    const hue = faultHue(w.kind);
    const open = w.end === undefined ? ' open' : '';
    out += `<g class="fb${open}"><title>${esc(describeWindow(w, t1))}</title>`;
    out += `<rect${attrs({ x: n1(a), y: n1(y + 2), width: n1(b - a), height: rowH - 4, rx: 2, fill: `hsl(${hue} 65% 50%)` })}/>`;
    // The label goes inside the bar, cut to fit; a bar too short for a word gets its label beside it instead.
    const fits = Math.floor((b - a - 6) / 6);
    if (fits >= 6) {
      const label = w.label.length > fits ? `${w.label.slice(0, fits - 1)}…` : w.label;
      out += `<text${attrs({ x: n1(a + 3), y: n1(y + rowH - 4.5) })}>${esc(label)}</text></g>`;
    } else {
      out += `<text${attrs({ class: 'beside', x: n1(b + 3), y: n1(y + rowH - 4.5) })}>${esc(w.label)}</text></g>`;
    }
  }
  const height = Math.max(rowsEnd.length, 1) * rowH;
  for (const fl of f.failed) {
    const cx = x(fl.time);
    out += `<g class="ff"><title>${esc(`${fl.f}${fl.target ? ` ${fl.target}` : ''} did not take effect (line ${fl.line}): ${fl.why}`)}</title>`;
    out += `<path d="M${n1(cx - 3)} ${n1(top + 3)}l6 6m0 -6l-6 6"/></g>`;
  }
  return { svg: out, height };
}
