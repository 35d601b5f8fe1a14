import type { LogItem } from '../coordinator/coordinator.ts';
import { parseStored } from '../resolver/index.ts';
import { isRegionName } from '../clock/region.ts';

export interface LogEntry {
  seq: number;
  /** Wall time (ms) of the commit at the origin, for lag in seconds. */
  ts: number;
  items: LogItem[];
}

export interface Batch {
  origin: string;
  /** The origin sequence the sender believes the receiver has applied; entries start right after it. */
  after?: number;
  entries: LogEntry[];
}

/** Where a batch's origin and last sequence travel in its request target, which the header signature covers. */
export interface ClaimedRange {
  origin: string;
  last: number;
}

/**
 * The request target of a non-empty batch. Naming its range outside the body lets a receiver that already applied
 * all of it (a resend, or a request that sat in its socket while the sender timed out) answer without inflating
 * or parsing the body.
 */
export function batchTarget(origin: string, last: number): string {
  return `/internal/replicate?origin=${encodeURIComponent(origin)}&last=${last}`;
}

/** The range a batch's target names, or null when it names none (an empty batch, a sender that does not say). */
export function claimedRange(query: URLSearchParams): ClaimedRange | null {
  const origin = query.get('origin');
  const last = query.get('last');
  if (origin === null && last === null) return null;
  if (!isRegionName(origin)) throw new TypeError(`query origin: expected a region name, got ${JSON.stringify(origin)}`);
  if (last === null || !/^\d{1,15}$/.test(last)) throw new TypeError(`query last: expected a log sequence, got ${JSON.stringify(last)}`);
  return { origin, last: Number(last) };
}

/**
 * Validates a replication batch; errors name the offending field. Entries at or below `appliedOf(origin)` are
 * dropped unread (the receiver would skip them anyway): a peer that was paused or slow gets its timed-out batches
 * resent, and validating every whole key state of each copy again would keep it behind.
 */
export function parseBatch(x: unknown, appliedOf: (origin: string) => number = () => 0, claimed: ClaimedRange | null = null): Batch {
  if (typeof x !== 'object' || x === null) throw new TypeError('batch: expected an object');
  const o = x as Record<string, unknown>;
  if (!isRegionName(o.origin)) throw new TypeError(`batch.origin: expected a region name, got ${JSON.stringify(o.origin)}`);
  if (!Array.isArray(o.entries)) throw new TypeError('batch.entries: expected an array');
  if (o.after !== undefined && (!Number.isSafeInteger(o.after) || (o.after as number) < 0)) {
    throw new TypeError(`batch.after: expected a non-negative integer, got ${JSON.stringify(o.after)}`);
  }
  let prev = 0;
  const floor = appliedOf(o.origin);
  const entries: LogEntry[] = [];
  o.entries.forEach((e: unknown, i: number) => {
    const where = `batch.entries[${i}]`;
    if (typeof e !== 'object' || e === null) throw new TypeError(`${where}: expected an object`);
    const r = e as Record<string, unknown>;
    if (!Number.isSafeInteger(r.seq) || (r.seq as number) <= prev) throw new TypeError(`${where}.seq: expected an integer above ${prev}`);
    prev = r.seq as number;
    if (prev <= floor) return;
    if (typeof r.ts !== 'number') throw new TypeError(`${where}.ts: expected a number`);
    if (!Array.isArray(r.items)) throw new TypeError(`${where}.items: expected an array`);
    const items = r.items.map((it: unknown, j: number): LogItem => {
      const w = `${where}.items[${j}]`;
      if (typeof it !== 'object' || it === null) throw new TypeError(`${w}: expected an object`);
      const io = it as Record<string, unknown>;
      if (typeof io.key !== 'string' || io.key.length === 0) throw new TypeError(`${w}.key: expected a non-empty string`);
      return { key: io.key, stored: parseStored(io.stored, `${w}.stored`) };
    });
    entries.push({ seq: r.seq as number, ts: r.ts, items });
  });
  if (claimed && (claimed.origin !== o.origin || claimed.last !== prev)) {
    throw new TypeError(`batch: origin ${JSON.stringify(o.origin)} and last sequence ${prev} differ from the request target's (${claimed.origin}, ${claimed.last})`);
  }
  return o.after === undefined ? { origin: o.origin, entries } : { origin: o.origin, after: o.after as number, entries };
}
