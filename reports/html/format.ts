/** Turning history values and figures into short human text (not yet escaped). */

/** Compact JSON, cut to `max` characters; values that JSON cannot hold are named rather than dropped. */
export function brief(value: unknown, max = 80): string {
  let s: string;
  if (value === undefined) s = 'undefined';
  else if (typeof value === 'bigint') s = `${value}n`;
  else if (typeof value === 'number' && !Number.isFinite(value)) s = String(value);
  else {
    try {
      s = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Strings as themselves (keys, kinds), anything else as compact JSON. */
export const text = (value: unknown, max = 80): string => (typeof value === 'string' ? (value.length > max ? `${value.slice(0, max - 1)}…` : value) : brief(value, max));

/** Nanoseconds as a duration with a unit that keeps three significant figures readable. */
export function duration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const ms = ns / 1e6;
  if (Math.abs(ms) < 1) return `${(ns / 1e3).toFixed(0)} µs`;
  if (Math.abs(ms) < 1000) return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  const s = ms / 1000;
  if (Math.abs(s) < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const durationMs = (ms: number): string => duration(ms * 1e6);

/** A point in run time (ns since start) as seconds, e.g. "12.345 s". */
export const at = (ns: number): string => `${(ns / 1e9).toFixed(3)} s`;

/** An ISO timestamp as "2026-12-01 02:00:00 UTC"; anything unparseable is shown as given. */
export function wallClock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
