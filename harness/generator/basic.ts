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
 * Each region-bound template until it completes `ok`, retried (after `retryMs`, at most `attempts` times) when it
 * fails or times out: a final read answered by a region still rejoining after a fault says nothing about the
 * state it converges to, so one refused read must not leave that region without a final read.
 */
export function untilOkInRegion(
  templates: readonly (ClientTemplate & { region: string })[],
  opts: { attempts: number; retryMs: number },
): Generator {
  type Item = { t: ClientTemplate & { region: string }; tries: number; notBefore: number };
  const slot = (t: ClientTemplate & { region: string }) => `${t.region}\u0000${t.key ?? ''}\u0000${t.f}`;
  const state = (todo: readonly Item[], inflight: ReadonlyMap<string, Item>): Generator => ({
    op(ctx) {
      if (todo.length === 0) return inflight.size === 0 ? undefined : { pending: true, next: state(todo, inflight) };
      let wake: number | undefined;
      for (let i = 0; i < todo.length; i++) {
        const item = todo[i];
        if (item.notBefore > ctx.time) {
          wake = wake === undefined ? item.notBefore : Math.min(wake, item.notBefore);
          continue;
        }
        const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number' && ctx.regionOf(p) === item.t.region);
        if (process === undefined) continue;
        const next = new Map(inflight).set(slot(item.t), item);
        return { op: { ...item.t, process }, next: state([...todo.slice(0, i), ...todo.slice(i + 1)], next) };
      }
      return { pending: true, ...(wake !== undefined ? { until: wake } : {}), next: state(todo, inflight) };
    },
    update(ctx, ev) {
      if (ev.type === 'invoke' || typeof ev.region !== 'string') return state(todo, inflight);
      const key = slot({ f: ev.f, key: ev.key, value: null, region: ev.region });
      const item = inflight.get(key);
      if (!item) return state(todo, inflight);
      const rest = new Map(inflight);
      rest.delete(key);
      if (ev.type === 'ok' || item.tries + 1 >= opts.attempts) return state(todo, rest);
      return state([...todo, { t: item.t, tries: item.tries + 1, notBefore: ctx.time + opts.retryMs * 1e6 }], rest);
    },
  });
  return state(templates.map((t) => ({ t, tries: 0, notBefore: 0 })), new Map());
}

/**
 * Each template once, on a free process bound to the template's region (final reads must be served by the region
 * they claim to observe).
 */
export const eachInRegion = (templates: readonly (ClientTemplate & { region: string })[]): Generator =>
  untilOkInRegion(templates, { attempts: 1, retryMs: 0 });

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
