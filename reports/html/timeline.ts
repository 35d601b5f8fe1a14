/**
 * The operations timeline: one lane per client thread, grouped by region, a bar from invoke to completion coloured
 * by outcome, fault windows shaded behind, and the operations checkers blame marked on top.
 *
 * Above `maxBars` operations (or `maxLanes` lanes) a bar per op would make a file of tens of megabytes that no
 * one can read anyway, so the timeline switches to an aggregate: per region, a stacked histogram of completions per
 * time bucket. Blamed operations are still drawn one by one (up to a cap), since they are the point of the page.
 */
import type { Blame } from './anomaly.ts';
import { attrs, esc } from './escape.ts';
import { faultBand, shadeWindows } from './fault-shading.ts';
import type { FaultTimeline } from './fault-windows.ts';
import { at, brief, duration, text } from './format.ts';
import { NO_REGION, type Span, type Spans } from './spans.ts';
import { linear, n1, type Scale } from './svg.ts';
import { byText } from './text-order.ts';

export interface TimelineOptions {
  width?: number;
  maxBars?: number;
  maxLanes?: number;
  /** Time buckets in the aggregated view. */
  buckets?: number;
  /** Blamed operations drawn individually in the aggregated view. */
  maxMarks?: number;
}

export interface Timeline {
  svg: string;
  mode: 'ops' | 'aggregated';
  /** Bars (ops mode) or histogram buckets (aggregated mode) drawn. */
  drawn: number;
  lanes: number;
}

interface Lane {
  /** Convergence probes get lanes of their own: they are the harness watching, not clients. */
  probe: boolean;
  processes: number[];
  spans: Span[];
  lastEnd: number;
}

const GUTTER = 112;
const PAD_R = 14;
const AXIS_H = 20;
const LANE_H = 14;
const REGION_H = 18;
const AGG_H = 46;

export function regionsOf(spans: readonly Span[]): string[] {
  const set = new Set(spans.map((s) => s.region));
  return [...set].sort((a, b) => (a === NO_REGION ? 1 : b === NO_REGION ? -1 : byText(a, b)));
}

/**
 * Packs processes into lanes: a process retired after an `info` is replaced by a fresh id (HISTORY.md), so giving
 * each id its own lane would make the chart taller with every timeout. A new process reuses a lane that is free.
 */
export function packLanes(spans: readonly Span[]): Map<string, Lane[]> {
  const byProcess = new Map<number, Span[]>();
  for (const s of spans) {
    const list = byProcess.get(s.process);
    if (list) list.push(s);
    else byProcess.set(s.process, [s]);
  }
  const procs = [...byProcess.entries()].map(([p, ss]) => ({
    p,
    ss,
    region: ss[0].region,
    probe: ss[0].invoke.meta?.probe === true,
    start: ss[0].start,
    end: ss.reduce((m, s) => Math.max(m, s.end), -Infinity),
  }));
  procs.sort((a, b) => a.start - b.start || a.p - b.p);
  const out = new Map<string, Lane[]>();
  for (const pr of procs) {
    const lanes = out.get(pr.region) ?? [];
    out.set(pr.region, lanes);
    let lane = lanes.find((l) => l.probe === pr.probe && l.lastEnd < pr.start);
    if (!lane) {
      lane = { probe: pr.probe, processes: [], spans: [], lastEnd: -Infinity };
      lanes.push(lane);
    }
    lane.processes.push(pr.p);
    for (const s of pr.ss) lane.spans.push(s);
    lane.lastEnd = pr.end;
  }
  for (const lanes of out.values()) lanes.sort((a, b) => Number(a.probe) - Number(b.probe));
  return out;
}

function axis(x: Scale, y: number, y1: number): string {
  let out = `<g class="axis">`;
  for (const t of x.ticks(8)) {
    const px = n1(x(t));
    out += `<line x1="${px}" x2="${px}" y1="${n1(y)}" y2="${n1(y1)}"/><text x="${px}" y="${n1(y - 6)}">${esc(`${+(t / 1e9).toPrecision(6)} s`)}</text>`;
  }
  return `${out}</g>`;
}

function opTitle(s: Span): string {
  const c = s.complete;
  const lines = c ? `lines ${s.invoke.line}→${c.line}` : `line ${s.invoke.line}, never completed`;
  const result = c ? ` → ${s.type} ${brief(c.value, 60)}${c.error ? ` (${c.error})` : ''}` : '';
  const key = s.invoke.key !== undefined ? ` ${text(s.invoke.key, 40)}` : '';
  return `${lines} · p${s.process} ${s.region} · ${s.invoke.f}${key} ${brief(s.invoke.value, 60)}${result} · ${c ? duration(s.end - s.start) : 'unknown outcome'}`;
}

function blameText(b: readonly Blame[]): string {
  return b.map((x) => `${x.checker}: ${x.what}`).join('; ');
}

function blamedOf(s: Span, blamed: ReadonlyMap<number, readonly Blame[]>): readonly Blame[] | undefined {
  return blamed.get(s.invoke.line) ?? (s.complete ? blamed.get(s.complete.line) : undefined);
}

export function renderTimeline(
  sp: Spans,
  faults: FaultTimeline,
  blamed: ReadonlyMap<number, readonly Blame[]>,
  opts: TimelineOptions = {},
): Timeline {
  const width = opts.width ?? 1136;
  const lanesByRegion = packLanes(sp.spans);
  const regions = regionsOf(sp.spans);
  const laneCount = [...lanesByRegion.values()].reduce((n, l) => n + l.length, 0);
  const aggregated = sp.spans.length > (opts.maxBars ?? 3000) || laneCount > (opts.maxLanes ?? 72);
  const x = linear([sp.t0, Math.max(sp.t1, sp.t0 + 1)], [GUTTER, width - PAD_R]);

  const band = faultBand(faults, x, AXIS_H + 4, sp.t1);
  const bodyTop = AXIS_H + 8 + band.height;
  let body = '';
  let y = bodyTop;
  let drawn = 0;
  const marks: string[] = [];
  const maxMarks = opts.maxMarks ?? 2000;

  for (const region of regions) {
    const lanes = lanesByRegion.get(region) ?? [];
    body += `<text class="region" x="4" y="${n1(y + 13)}">${esc(region)}</text><line class="sep" x1="0" x2="${width}" y1="${n1(y + 0.5)}" y2="${n1(y + 0.5)}"/>`;
    y += REGION_H;
    if (!aggregated) {
      for (const lane of lanes) {
        const ps = lane.processes;
        // Convergence probes are the harness watching, not clients; say so rather than show a bare process id.
        const probes = lane.probe;
        const ids = probes ? 'probes' : ps.length === 1 ? `p${ps[0]}` : ps.length === 2 && `${ps[0]}${ps[1]}`.length < 10 ? `p${ps[0]}, p${ps[1]}` : `p${ps[0]} +${ps.length - 1}`;
        const all = `processes ${ps.slice(0, 30).map((p) => `p${p}`).join(', ')}${ps.length > 30 ? ', …' : ''} (one after another: a process retired after a timeout hands its lane on)`;
        body += `<text class="lane" x="10" y="${n1(y + 10)}"><title>${esc(all)}</title>${esc(ids)}</text>`;
        for (const s of lane.spans) {
          const a = x(s.start);
          const w = Math.max(x(s.end) - a, 1.5);
          const b = blamedOf(s, blamed);
          const cls = `op ${s.type}${s.complete ? '' : ' open'}${b ? ' blamed' : ''}${probes ? ' probe' : ''}`;
          body += `<rect class="${cls}" x="${n1(a)}" y="${n1(y + 2)}" width="${n1(w)}" height="10"><title>${esc(opTitle(s) + (b ? ` · BLAMED by ${blameText(b)}` : ''))}</title></rect>`;
          const label = `${s.invoke.f}${s.invoke.key !== undefined ? ` ${text(s.invoke.key, 16)}` : ''}`;
          if (w > label.length * 6 + 8) body += `<text class="opl" x="${n1(a + 4)}" y="${n1(y + 10)}">${esc(label)}</text>`;
          if (b && marks.length < maxMarks) marks.push(`<path class="mark" d="M${n1(a + w / 2 - 4)} ${n1(y - 5)}h8l-4 6z"><title>${esc(`line ${s.invoke.line}: ${blameText(b)}`)}</title></path>`);
          drawn++;
        }
        y += LANE_H;
      }
    } else {
      const r = aggregate(sp, region, x, y, opts.buckets ?? 360);
      body += `<text class="lane" x="10" y="${n1(y + 12)}">${esc(`${lanes.length} lanes`)}</text>` + r.svg;
      drawn += r.buckets;
      for (const s of sp.spans) {
        if (s.region !== region || marks.length >= maxMarks) continue;
        const b = blamedOf(s, blamed);
        if (!b) continue;
        const px = x(s.start);
        marks.push(`<path class="mark" d="M${n1(px - 4)} ${n1(y - 2)}h8l-4 6z"><title>${esc(`${opTitle(s)} · BLAMED by ${blameText(b)}`)}</title></path><line class="markline" x1="${n1(px)}" x2="${n1(px)}" y1="${n1(y + 4)}" y2="${n1(y + AGG_H)}"/>`);
      }
      y += AGG_H + 4;
    }
  }
  const height = y + 6;
  const svg =
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${n1(height)}" width="${width}" height="${n1(height)}" role="img" aria-label="Operations timeline">` +
    shadeWindows(faults, x, bodyTop, height, sp.t1) +
    axis(x, AXIS_H, height) +
    `<text class="lane" x="4" y="${n1(AXIS_H + 16)}">faults</text>` +
    band.svg +
    body +
    marks.join('') +
    `</svg>`;
  return { svg, mode: aggregated ? 'aggregated' : 'ops', drawn, lanes: laneCount };
}

function aggregate(sp: Spans, region: string, x: Scale, top: number, buckets: number): { svg: string; buckets: number } {
  const [t0, t1] = x.domain;
  const width = (t1 - t0) / buckets;
  const counts = Array.from({ length: buckets }, () => ({ ok: 0, fail: 0, info: 0 }));
  let max = 1;
  for (const s of sp.spans) {
    if (s.region !== region) continue;
    const t = s.complete ? s.end : s.start;
    const c = counts[Math.min(buckets - 1, Math.max(0, Math.floor((t - t0) / width)))];
    c[s.type]++;
  }
  for (const c of counts) max = Math.max(max, c.ok + c.fail + c.info);
  const h = (v: number): number => (v / max) * (AGG_H - 6);
  let out = '';
  let drawn = 0;
  for (let i = 0; i < buckets; i++) {
    const c = counts[i];
    const total = c.ok + c.fail + c.info;
    if (total === 0) continue;
    const a = x(t0 + i * width);
    const w = Math.max(x(t0 + (i + 1) * width) - a - 0.3, 0.6);
    let base = top + AGG_H;
    out += `<g><title>${esc(`${region}, ${at(t0 + i * width)}–${at(t0 + (i + 1) * width)}: ${c.ok} ok, ${c.fail} fail, ${c.info} info`)}</title>`;
    for (const type of ['ok', 'fail', 'info'] as const) {
      if (c[type] === 0) continue;
      const hh = Math.max(h(c[type]), 0.8);
      base -= hh;
      out += `<rect${attrs({ class: `op ${type}`, x: n1(a), y: n1(base), width: n1(w), height: n1(hh) })}/>`;
    }
    out += '</g>';
    drawn++;
  }
  return { svg: out, buckets: drawn };
}
