/**
 * Vector clocks: one counter per region; a missing entry means 0. Every clock this module returns is
 * canonical (entries sorted by region, zeros dropped), so equal clocks serialise to equal JSON and
 * replicas that converge also produce byte-equal digests.
 */
import { assertRegionName } from './region.ts';

export type VClock = Readonly<Record<string, number>>;
export type Order = 'before' | 'after' | 'equal' | 'concurrent';

const get = (c: VClock, r: string): number => (Object.hasOwn(c, r) ? c[r] : 0);

function canonical(entries: Iterable<[string, number]>): VClock {
  return Object.fromEntries([...entries].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function vcCompare(a: VClock, b: VClock): Order {
  let aAhead = false;
  let bAhead = false;
  for (const r of Object.keys(a)) {
    const x = a[r];
    const y = get(b, r);
    if (x > y) aAhead = true;
    else if (y > x) bAhead = true;
  }
  for (const r of Object.keys(b)) if (!Object.hasOwn(a, r) && b[r] > 0) bAhead = true;
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  if (bAhead) return 'before';
  return 'equal';
}

export function vcMerge(a: VClock, b: VClock): VClock {
  const regions = Object.keys(a);
  for (const r of Object.keys(b)) if (!Object.hasOwn(a, r)) regions.push(r);
  regions.sort();
  const out: Record<string, number> = {};
  for (const r of regions) {
    const n = Math.max(get(a, r), get(b, r));
    if (n > 0) out[r] = n;
  }
  return out;
}

export function vcIncrement(a: VClock, region: string): VClock {
  assertRegionName(region, 'vcIncrement');
  const out = new Map(Object.entries(a));
  out.set(region, get(a, region) + 1);
  return canonical(out);
}

export function vcDominates(a: VClock, b: VClock): boolean {
  const o = vcCompare(a, b);
  return o === 'after' || o === 'equal';
}

/** Validates untrusted input into a canonical VClock; `where` names the field in the error. */
export function parseVClock(x: unknown, where: string): VClock {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where}: expected an object of region → counter, got ${JSON.stringify(x)}`);
  }
  const rec = x as Record<string, unknown>;
  let inOrder = true;
  let prev = '';
  for (const r of Object.keys(rec)) {
    assertRegionName(r, `${where}`);
    const n = rec[r];
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw new TypeError(`${where}.${r}: expected a non-negative integer, got ${JSON.stringify(n)}`);
    }
    // Already canonical (what every region stores and sends): copied as is, without the sort.
    if (n === 0 || !(prev < r) || isIndexKey(r)) inOrder = false;
    prev = r;
  }
  return inOrder ? { ...(rec as Record<string, number>) } : canonical(Object.entries(rec) as [string, number][]);
}

/** A digits-only region name enumerates before the others whatever the insertion order, so it takes the slow path. */
function isIndexKey(r: string): boolean {
  const c = r.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^\d+$/.test(r);
}
