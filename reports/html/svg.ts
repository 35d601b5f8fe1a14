/** Tiny helpers for server-side SVG: scales, nice ticks and compact coordinates. */

export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  ticks(count: number): number[];
}

/** Coordinates with one decimal keep large charts small without visible loss. */
export const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

export function linear(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  const f = (v: number): number => range[0] + ((v - d0) / span) * (range[1] - range[0]);
  return Object.assign(f, { domain, range, ticks: (count: number) => niceTicks(d0, d1, count) });
}

/** Log scale for latencies, which span microseconds to seconds; values ≤ 0 clamp to the lower bound. */
export function log10(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const lo = Math.log10(Math.max(domain[0], Number.MIN_VALUE));
  const hi = Math.log10(Math.max(domain[1], domain[0] * 10));
  const f = (v: number): number => range[0] + ((Math.log10(Math.max(v, domain[0])) - lo) / (hi - lo)) * (range[1] - range[0]);
  const ticks = (): number[] => {
    const out: number[] = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) out.push(10 ** e);
    return out;
  };
  return Object.assign(f, { domain, range, ticks });
}

/** Round numbers (1, 2, 5 × 10^k) covering [lo, hi] in about `count` steps. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** A stable colour for a name outside the fixed palettes (fault kinds nobody told us about). */
export function hueFor(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}
