import type { GenContext } from '../harness/core/generator.ts';
import type { ClientTemplate } from '../harness/generator/basic.ts';

export interface TxnGenOptions {
  prefix: string;
  write: 'append' | 'w';
  /** Keys in play at once; a key retires after `writesPerKey` writes and a fresh one takes its place. */
  activeKeys: number;
  writesPerKey?: number;
  maxOps?: number;
}

/** Random transactions of 1–maxOps micro-ops over a rotating pool of keys, with globally unique written values. */
export function txnGenerator(o: TxnGenOptions): (ctx: GenContext) => ClientTemplate {
  const writesPerKey = o.writesPerKey ?? 32;
  const maxOps = o.maxOps ?? 4;
  const active = Array.from({ length: o.activeKeys }, (_, i) => i);
  const writes = new Map<number, number>();
  let nextKey = o.activeKeys;
  let nextValue = 1;
  return (ctx) => {
    const n = 1 + Math.floor(ctx.random() * maxOps);
    const mops: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const slot = Math.floor(ctx.random() * active.length);
      const k = active[slot];
      const key = `${o.prefix}${k}`;
      if (ctx.random() < 0.5) {
        mops.push(['r', key, null]);
      } else {
        mops.push([o.write, key, nextValue++]);
        const w = (writes.get(k) ?? 0) + 1;
        writes.set(k, w);
        if (w >= writesPerKey) {
          writes.delete(k);
          active[slot] = nextKey++;
        }
      }
    }
    return { f: 'txn', value: mops };
  };
}
