/**
 * Fault windows drawn behind a time chart, so every chart shows when the system was under which fault.
 * A long run can have thousands of windows; windows of one kind closer than a pixel are merged into one band and
 * labels are dropped when they could not be read anyway, so the picture and the file stay small.
 */
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

const MAX_ROWS = 6;
const MAX_LABELLED = 200;
const MAX_FAILED_MARKS = 500;

export const faultHue = (kind: string): number => HUES[kind] ?? hueFor(kind);

export function describeWindow(w: FaultWindow, t1: number): string {
  const end = w.end ?? t1;
  const lines = w.endLine ? `lines ${w.startLine}–${w.endLine}` : `line ${w.startLine}`;
  const until = w.end === undefined ? 'still in force when the history ends' : `until ${at(w.end)} (${w.closedBy})`;
  return `${w.kind}: ${w.label} — from ${at(w.start)} ${until}, ${duration(end - w.start)}; ${lines}`;
}

interface Band {
  kind: string;
  a: number;
  b: number;
  windows: FaultWindow[];
}

/** Windows as pixel bands, merging same-kind windows that would touch on screen. */
function bands(f: FaultTimeline, x: Scale, t1: number): Band[] {
  const out: Band[] = [];
  const last = new Map<string, Band>();
  for (const w of [...f.windows].sort((p, q) => p.start - q.start)) {
    const a = x(w.start);
    const b = Math.max(x(w.end ?? t1), a + 1);
    const prev = last.get(w.kind);
    if (prev && a - prev.b < 1) {
      prev.b = Math.max(prev.b, b);
      prev.windows.push(w);
      continue;
    }
    const band = { kind: w.kind, a, b, windows: [w] };
    out.push(band);
    last.set(w.kind, band);
  }
  return out;
}

function bandTitle(band: Band, t1: number): string {
  if (band.windows.length === 1) return describeWindow(band.windows[0], t1);
  const first = band.windows[0];
  const lastEnd = Math.max(...band.windows.map((w) => w.end ?? t1));
  return `${band.windows.length} ${band.kind} windows from ${at(first.start)} to ${at(lastEnd)} (lines ${first.startLine}–${band.windows[band.windows.length - 1].endLine ?? '…'})`;
}

/** Translucent bands over [y0, y1] for every window. */
export function shadeWindows(f: FaultTimeline, x: Scale, y0: number, y1: number, t1: number): string {
  let out = '';
  for (const band of bands(f, x, t1)) {
    out += `<rect${attrs({ class: 'fw', x: n1(band.a), y: n1(y0), width: n1(band.b - band.a), height: n1(y1 - y0), fill: `hsl(${faultHue(band.kind)} 70% 55%)` })}><title>${esc(bandTitle(band, t1))}</title></rect>`;
  }
  return out;
}

/**
 * Labelled bars for the windows, packed into as few rows as keep labels apart (at most six), plus a mark for each
 * fault that failed to take effect. Returns the SVG and the height it used.
 */
export function faultBand(f: FaultTimeline, x: Scale, top: number, t1: number, rowH = 16): { svg: string; height: number } {
  const all = bands(f, x, t1);
  const labelled = all.length <= MAX_LABELLED;
  const rowsEnd: number[] = [];
  let out = '';
  for (const band of all) {
    const { a, b } = band;
    const w = band.windows[0];
    const label = band.windows.length === 1 ? w.label : `${band.windows.length}× ${band.kind}`;
    const inside = b - a - 6 >= 36;
    const labelEnd = !labelled || inside ? b : b + 4 + label.length * 6;
    let row = rowsEnd.findIndex((e) => e < a);
    if (row < 0 && rowsEnd.length < MAX_ROWS) row = rowsEnd.push(0) - 1;
    if (row < 0) row = rowsEnd.indexOf(Math.min(...rowsEnd));
    rowsEnd[row] = Math.max(rowsEnd[row], Math.min(labelEnd, x.range[1])) + 4;
    const y = top + row * rowH;
    const open = band.windows.some((z) => z.end === undefined) ? ' open' : '';
    out += `<g class="fb${open}"><title>${esc(bandTitle(band, t1))}</title>`;
    out += `<rect${attrs({ x: n1(a), y: n1(y + 2), width: n1(b - a), height: rowH - 4, rx: 2, fill: `hsl(${faultHue(band.kind)} 65% 50%)` })}/>`;
    // The label goes inside the bar, cut to fit; a bar too short for a word gets its label beside it instead.
    const fits = Math.floor((b - a - 6) / 6);
    if (labelled && fits >= 6) {
      const cut = label.length > fits ? `${label.slice(0, fits - 1)}…` : label;
      out += `<text${attrs({ x: n1(a + 3), y: n1(y + rowH - 4.5) })}>${esc(cut)}</text>`;
    } else if (labelled) {
      out += `<text${attrs({ class: 'beside', x: n1(b + 3), y: n1(y + rowH - 4.5) })}>${esc(label)}</text>`;
    }
    out += '</g>';
  }
  const height = Math.max(rowsEnd.length, 1) * rowH;
  for (const fl of f.failed.slice(0, MAX_FAILED_MARKS)) {
    const cx = x(fl.time);
    out += `<g class="ff"><title>${esc(`${fl.f}${fl.target ? ` ${fl.target}` : ''} did not take effect (line ${fl.line}): ${fl.why}`)}</title>`;
    out += `<path d="M${n1(cx - 3)} ${n1(top + 3)}l6 6m0 -6l-6 6"/></g>`;
  }
  return { svg: out, height };
}
