import type { GenContext } from '../harness/core/generator.ts';
import { untilOkInRegion, type ClientTemplate } from '../harness/generator/basic.ts';
import type { Generator } from '../harness/core/generator.ts';

export const keyNames = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}k${i}`);

export const randomKey = (ctx: GenContext, keys: readonly string[]): string => keys[Math.floor(ctx.random() * keys.length)];

/**
 * A read of every key in every region, marked final: what convergence is judged on. A read that fails or times out
 * (a region still rejoining after a fault) is tried again, up to 10 times, half a second apart.
 */
export function finalReads(regions: readonly string[], keys: readonly string[], f = 'read'): Generator {
  const templates: (ClientTemplate & { region: string })[] = [];
  for (const region of regions) for (const key of keys) templates.push({ f, key, value: null, region, meta: { final: true } });
  return untilOkInRegion(templates, { attempts: 10, retryMs: 500 });
}

/** Unique values per key make every read traceable to one write, which the checkers rely on. */
export function counterPerKey(): (key: string) => number {
  const next = new Map<string, number>();
  return (key) => {
    const v = (next.get(key) ?? 0) + 1;
    next.set(key, v);
    return v;
  };
}
