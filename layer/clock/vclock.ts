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
  for (const r of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = get(a, r);
    const y = get(b, r);
    if (x > y) aAhead = true;
    else if (y > x) bAhead = true;
  }
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  if (bAhead) return 'before';
  return 'equal';
}

export function vcMerge(a: VClock, b: VClock): VClock {
  const out = new Map<string, number>();
  for (const c of [a, b]) for (const [r, n] of Object.entries(c)) out.set(r, Math.max(out.get(r) ?? 0, n));
  return canonical(out);
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
  const entries = Object.entries(x);
  for (const [r, n] of entries) {
    assertRegionName(r, `${where}`);
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw new TypeError(`${where}.${r}: expected a non-negative integer, got ${JSON.stringify(n)}`);
    }
  }
  return canonical(entries as [string, number][]);
}
