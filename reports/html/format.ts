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

/**
 * A number as toLocaleString('en-US') writes it (thousands grouped by commas, at most three decimals, rounded half
 * away from zero from the shortest decimal that reads back as the number), without Intl: the first toLocaleString
 * of a process builds ICU's number formatter, 35–60 ms of a `rift check --out`.
 */
export function grouped(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return n.toLocaleString('en-US');
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  // Below 1e-6 String() writes an exponent; three decimals round such a number to 0.
  const [whole, fraction = ''] = Math.abs(n) < 1e-6 ? ['0'] : String(Math.abs(n)).split('.');
  let digits = whole + fraction.slice(0, 3).padEnd(3, '0');
  if (fraction.length > 3 && fraction[3] >= '5') digits = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  const int = digits.slice(0, -3).replace(/^0+(?=\d)/, '') || '0';
  const decimals = digits.slice(-3).replace(/0+$/, '');
  return sign + int.replace(/\B(?=(\d{3})+$)/g, ',') + (decimals ? `.${decimals}` : '');
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;
