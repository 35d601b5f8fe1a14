/**
 * The operations the interactive timeline draws, as compact columns for embedding in the page.
 *
 * A million operations as objects would be hundreds of megabytes of JSON; as columns of small integers (times in
 * microseconds since the run's start, delta-encoded in lane order, strings as indices into dictionaries) they are a
 * few bytes each. Ops are ordered by lane and then by start, so the page finds what is in view by binary search per
 * lane and never looks at the rest. Dictionaries are capped: past the cap a string is not embedded and the page
 * says so and names the history line instead, which keeps a run with a million distinct values bounded.
 */
import type { Blame } from './anomaly.ts';
import { faultHue } from './fault-shading.ts';
import type { FaultTimeline } from './fault-windows.ts';
import { brief, text } from './format.ts';
import type { Span, Spans } from './spans.ts';
import { packLanes, regionsOf } from './timeline.ts';

export interface TimelineData {
  /** Run start, ns; every time below is microseconds after it. */
  t0: number;
  span: number;
  lanes: { region: string; label: string; probe: boolean }[];
  /** Cumulative op counts: lane i holds ops laneEnd[i-1] … laneEnd[i]-1. */
  laneEnd: number[];
  /** Columns of integers, each a varint string (see `varints`). Start: µs after the previous op's start in the lane. */
  start: string;
  /** Duration in µs, or -1 for an op that never completed. */
  dur: string;
  /** One character per op: o ok, f fail, i info. */
  type: string;
  /** Invoke line, delta-encoded. */
  line: string;
  /** Completion line minus invoke line (0 when never completed). */
  cline: string;
  /** Process ids run-length encoded: [pid, count, pid, count, …] in op order. */
  process: number[];
  fs: string[];
  f: string;
  /** Index 0 is "no key"; keys past the cap map to index 1, "(key not embedded)". */
  keys: string[];
  key: string;
  /** Index 0 is "(not embedded)"; the text is "invoke value → completion value (error)". */
  values: string[];
  value: string;
  /** [op index, blame-text index] pairs. */
  blamed: number[];
  blames: string[];
  faults: { kind: string; label: string; start: number; end: number | null; hue: number }[];
  faultsTotal: number;
}

export interface TimelineDataOptions {
  /** Characters of key text embedded in all. */
  maxKeyChars?: number;
  /** Characters of value text embedded in all (blamed ops' values always are). */
  maxValueChars?: number;
  maxFaults?: number;
}

/**
 * 90 characters that need no escaping in JSON or HTML text. A number is zigzag-encoded (so -1 stays small) and
 * written in base 45, low digit first: a digit d is ALPHABET[45 + d] when more digits follow and ALPHABET[d] when it
 * is the last. Most gaps, durations and line deltas take two or three characters instead of a JSON number's five
 * plus a comma.
 */
export const ALPHABET = [...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))].filter((c) => !'"\\<&'.includes(c)).join('');

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

export function varints(ns: readonly number[]): string {
  // Bytes, not string concatenation: a million ops make millions of digits, and a rope that long is mostly garbage.
  let buf = new Uint8Array(Math.max(16, ns.length * 3));
  let at = 0;
  for (const n of ns) {
    if (at + 12 > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    let z = n >= 0 ? 2 * n : -2 * n - 1;
    while (z >= 45) {
      buf[at++] = CODES[45 + (z % 45)];
      z = Math.floor(z / 45);
    }
    buf[at++] = CODES[z];
  }
  return Buffer.from(buf.buffer, 0, at).toString('latin1');
}

export function unvarints(s: string): number[] {
  const out: number[] = [];
  let z = 0;
  let mul = 1;
  for (const c of s) {
    const d = ALPHABET.indexOf(c);
    if (d >= 45) {
      z += (d - 45) * mul;
      mul *= 45;
      continue;
    }
    z += d * mul;
    out.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    z = 0;
    mul = 1;
  }
  return out;
}

const us = (ns: number): number => Math.round(ns / 1e3);

const blamedOf = (s: Span, blamed: ReadonlyMap<number, readonly Blame[]>): readonly Blame[] | undefined =>
  blamed.get(s.invoke.line) ?? (s.complete ? blamed.get(s.complete.line) : undefined);

/** Strings to indices; past `capChars` characters new strings are refused (-1) unless forced. */
function dictionary(capChars: number, reserved: string[]): { index: (s: string, force?: boolean) => number; list: string[]; full: () => boolean } {
  const list = [...reserved];
  const map = new Map<string, number>();
  list.forEach((s, i) => map.set(s, i));
  let chars = 0;
  let refused = false;
  return {
    list,
    // Once a string has been refused, callers stop building new ones (building a value's text is the cost).
    full: () => refused,
    index(s, force = false) {
      const i = map.get(s);
      if (i !== undefined) return i;
      if (chars + s.length > capChars && !force) {
        refused = true;
        return -1;
      }
      chars += s.length;
      map.set(s, list.length);
      return list.push(s) - 1;
    },
  };
}

function valueText(s: Span): string {
  const c = s.complete;
  const result = c ? ` → ${brief(c.value, 60)}${c.error ? ` (${c.error})` : ''}` : ' → (never completed)';
  return `${brief(s.invoke.value, 60)}${result}`;
}

export function timelineData(sp: Spans, faults: FaultTimeline, blamed: ReadonlyMap<number, readonly Blame[]>, opts: TimelineDataOptions = {}): TimelineData {
  const lanesByRegion = packLanes(sp.spans);
  const lanes: TimelineData['lanes'] = [];
  const ordered: Span[] = [];
  const laneEnd: number[] = [];
  for (const region of regionsOf(sp.spans)) {
    for (const lane of lanesByRegion.get(region) ?? []) {
      const ps = lane.processes;
      lanes.push({ region, probe: lane.probe, label: lane.probe ? 'probes' : ps.length === 1 ? `p${ps[0]}` : `p${ps[0]} +${ps.length - 1}` });
      const sorted = [...lane.spans].sort((a, b) => a.start - b.start || a.invoke.line - b.invoke.line);
      for (const s of sorted) ordered.push(s);
      laneEnd.push(ordered.length);
    }
  }
  const fs = dictionary(Infinity, []);
  const keys = dictionary(opts.maxKeyChars ?? 400_000, ['', '(key not embedded)']);
  const values = dictionary(opts.maxValueChars ?? 50_000, ['(not embedded: see the history line)']);
  const blames = dictionary(Infinity, []);
  const n = ordered.length;
  const start = new Array<number>(n);
  const dur = new Array<number>(n);
  const line = new Array<number>(n);
  const cline = new Array<number>(n);
  const f = new Array<number>(n);
  const key = new Array<number>(n);
  const value = new Array<number>(n);
  const process: number[] = [];
  const blamedPairs: number[] = [];
  const type = new Uint8Array(n);
  let prevStart = 0;
  let prevLine = 0;
  for (let i = 0; i < n; i++) {
    const s = ordered[i];
    const st = us(s.start - sp.t0);
    start[i] = st - prevStart;
    prevStart = st;
    dur[i] = s.complete ? us(s.end - sp.t0) - st : -1;
    line[i] = s.invoke.line - prevLine;
    prevLine = s.invoke.line;
    cline[i] = s.complete ? s.complete.line - s.invoke.line : 0;
    type[i] = s.type === 'ok' ? 111 : s.type === 'fail' ? 102 : 105;
    if (process.length && process[process.length - 2] === s.process) process[process.length - 1]++;
    else process.push(s.process, 1);
    f[i] = fs.index(s.invoke.f);
    const k = s.invoke.key === undefined ? 0 : keys.index(text(s.invoke.key, 60));
    key[i] = k < 0 ? 1 : k;
    const b = blamedOf(s, blamed);
    const v = b === undefined && values.full() ? 0 : values.index(valueText(s), b !== undefined);
    value[i] = v < 0 ? 0 : v;
    if (b) blamedPairs.push(i, blames.index(b.map((x) => `${x.checker}: ${x.what}`).join('; ')));
  }
  const maxFaults = opts.maxFaults ?? 5000;
  return {
    t0: sp.t0,
    span: us(Math.max(sp.t1 - sp.t0, 1e3)),
    lanes,
    laneEnd,
    start: varints(start),
    dur: varints(dur),
    type: Buffer.from(type.buffer, 0, n).toString('latin1'),
    line: varints(line),
    cline: varints(cline),
    process,
    fs: fs.list,
    f: varints(f),
    keys: keys.list,
    key: varints(key),
    values: values.list,
    value: varints(value),
    blamed: blamedPairs,
    blames: blames.list,
    faults: faults.windows.slice(0, maxFaults).map((w) => ({ kind: w.kind, label: w.label, start: us(w.start - sp.t0), end: w.end === undefined ? null : us(w.end - sp.t0), hue: faultHue(w.kind) })),
    faultsTotal: faults.windows.length,
  };
}

/**
 * The data as the text of an inert `<template>`: JSON with `<`, `>` and `&` written as JSON escapes, so the HTML parser
 * reads it back unchanged and no value can end the element. The page keeps its one script.
 */
export function embedTimelineData(d: TimelineData): string {
  return `<template id="timeline-data">${JSON.stringify(d).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}</template>`;
}
