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

/**
 * Validates a replication batch; errors name the offending field. Entries at or below `appliedOf(origin)` are
 * dropped unread (the receiver would skip them anyway): a peer that was paused or slow gets its timed-out batches
 * resent, and validating every whole key state of each copy again would keep it behind.
 */
export function parseBatch(x: unknown, appliedOf: (origin: string) => number = () => 0): Batch {
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
  return o.after === undefined ? { origin: o.origin, entries } : { origin: o.origin, after: o.after as number, entries };
}
