import type { GenContext, GenResult, Generator, OpTemplate } from '../core/generator.ts';

/** A template without a process: the combinator below picks a free client process for it. */
export type ClientTemplate = Omit<OpTemplate, 'process'>;

/**
 * An endless stream of client operations, each built by `make` when a client process is free.
 * `make` gets the context (seeded randomness, the region of the chosen process) so a run replays from its seed.
 */
export function clientOps(make: (ctx: GenContext, process: number) => ClientTemplate | undefined): Generator {
  const self: Generator = {
    op(ctx) {
      const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number');
      if (process === undefined) return { pending: true, next: self };
      const t = make(ctx, process);
      if (t === undefined) return undefined;
      return { op: { ...t, process }, next: self };
    },
  };
  return self;
}

/** Operations for the nemesis process, produced in order by a stateful step function. */
export function nemesisOps(step: (ctx: GenContext) => { op: Omit<OpTemplate, 'process'>; at: number } | undefined): Generator {
  let planned: { op: Omit<OpTemplate, 'process'>; at: number } | undefined | null = null;
  const self: Generator = {
    op(ctx) {
      if (planned === null) planned = step(ctx);
      if (planned === undefined) return undefined;
      if (ctx.time < planned.at) return { pending: true, until: planned.at, next: self };
      if (!ctx.freeProcesses.includes('nemesis')) return { pending: true, next: self };
      const op: OpTemplate = { ...planned.op, process: 'nemesis' };
      planned = null;
      return { op, next: self };
    },
  };
  return self;
}

/** Each template once, in order, on any free client process. */
export function each(templates: readonly ClientTemplate[]): Generator {
  const at = (i: number): Generator => ({
    op(ctx) {
      if (i >= templates.length) return undefined;
      const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number');
      if (process === undefined) return { pending: true, next: at(i) };
      return { op: { ...templates[i], process }, next: at(i + 1) };
    },
  });
  return at(0);
}

/**
 * Each template once, on a free process bound to the template's region (final reads must be served by
 * the region they claim to observe).
 */
export function eachInRegion(templates: readonly (ClientTemplate & { region: string })[]): Generator {
  const remaining = (left: readonly (ClientTemplate & { region: string })[]): Generator => ({
    op(ctx) {
      if (left.length === 0) return undefined;
      for (let i = 0; i < left.length; i++) {
        const process = ctx.freeProcesses.find(
          (p): p is number => typeof p === 'number' && ctx.regionOf(p) === left[i].region,
        );
        if (process !== undefined) {
          return { op: { ...left[i], process }, next: remaining([...left.slice(0, i), ...left.slice(i + 1)]) };
        }
      }
      return { pending: true, next: remaining(left) };
    },
  });
  return remaining(templates);
}

/** At most `n` operations from `g`. */
export function limit(n: number, g: Generator): Generator {
  return {
    op(ctx): GenResult {
      if (n <= 0) return undefined;
      const r = g.op(ctx);
      if (r === undefined) return undefined;
      if ('pending' in r) return { ...r, next: limit(n, r.next) };
      return { op: r.op, next: limit(n - 1, r.next) };
    },
    update: g.update ? (ctx, ev) => limit(n, g.update!(ctx, ev)) : undefined,
  };
}

/** Nothing until `ms` after it is first asked, then exhausted: a pause between phases. */
export function sleep(ms: number): Generator {
  const waiting = (until: number): Generator => ({
    op: (ctx) => (ctx.time >= until ? undefined : { pending: true, until, next: waiting(until) }),
  });
  return { op: (ctx) => waiting(ctx.time + ms * 1e6).op(ctx) };
}
