import type { GenResult, Generator } from '../core/generator.ts';

/** Stops `g` `ms` after it is first asked for an operation. */
export function timeLimit(ms: number, g: Generator): Generator {
  const bounded = (deadline: number, inner: Generator): Generator => ({
    op(ctx): GenResult {
      if (ctx.time >= deadline) return undefined;
      const r = inner.op(ctx);
      if (r === undefined) return undefined;
      if ('pending' in r) {
        const until = r.until === undefined ? deadline : Math.min(r.until, deadline);
        return { pending: true, until, next: bounded(deadline, r.next) };
      }
      return { op: r.op, next: bounded(deadline, r.next) };
    },
    update: inner.update ? (ctx, ev) => bounded(deadline, inner.update!(ctx, ev)) : undefined,
  });
  return {
    op: (ctx) => bounded(ctx.time + ms * 1e6, g).op(ctx),
    update: g.update ? (ctx, ev) => timeLimit(ms, g.update!(ctx, ev)) : undefined,
  };
}

/**
 * Spaces operations of `g` by a random delay averaging `meanMs` (uniform in [0, 2·mean]), drawn from the
 * run's seeded randomness: a steady rate without the lock-step bursts a fixed interval gives.
 */
export function stagger(meanMs: number, g: Generator): Generator {
  const at = (nextTime: number | undefined, inner: Generator): Generator => ({
    op(ctx): GenResult {
      if (nextTime !== undefined && ctx.time < nextTime) return { pending: true, until: nextTime, next: at(nextTime, inner) };
      const r = inner.op(ctx);
      if (r === undefined) return undefined;
      if ('pending' in r) return { ...r, next: at(nextTime, r.next) };
      const base = nextTime === undefined ? ctx.time : Math.max(nextTime, ctx.time - meanMs * 1e6);
      return { op: r.op, next: at(base + ctx.random() * 2 * meanMs * 1e6, r.next) };
    },
    update: inner.update ? (ctx, ev) => at(nextTime, inner.update!(ctx, ev)) : undefined,
  });
  return at(undefined, g);
}
