/**
 * A seeded PRNG (mulberry32). Runs must be replayable from `--seed`, and Math.random cannot be seeded;
 * separate streams (workload, nemesis) are derived from one seed so that changing one part's
 * consumption does not shift the other's choices.
 */
export interface Random {
  (): number;
  readonly seed: number;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Random;
  Object.defineProperty(next, 'seed', { value: seed >>> 0 });
  return next;
}

/** An independent stream for a named purpose, derived from the run seed. */
export function deriveRandom(seed: number, stream: string): Random {
  let h = seed >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  return seededRandom(h);
}

export const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

export function weightedPick<T>(rnd: () => number, items: readonly { item: T; weight: number }[]): T | undefined {
  const total = items.reduce((s, x) => s + Math.max(0, x.weight), 0);
  if (total <= 0) return undefined;
  let r = rnd() * total;
  for (const x of items) {
    r -= Math.max(0, x.weight);
    if (r < 0) return x.item;
  }
  return items[items.length - 1].item;
}
