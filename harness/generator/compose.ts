import type { GenContext, GenResult, Generator } from '../core/generator.ts';
import type { Op } from '../core/op.ts';

const earliest = (a?: number, b?: number): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * Runs several generators side by side (clients and nemesis): each call takes the first that has an
 * operation ready, trying them in order; exhausted when all are.
 */
export function any(...gs: Generator[]): Generator {
  const live = gs;
  return {
    op(ctx: GenContext): GenResult {
      let until: number | undefined;
      let anyPending = false;
      const next = [...live];
      for (let i = 0; i < live.length; i++) {
        const r = live[i].op(ctx);
        if (r === undefined) {
          next.splice(next.indexOf(live[i]), 1);
          continue;
        }
        next[next.indexOf(live[i])] = r.next;
        if ('pending' in r) {
          anyPending = true;
          until = r.until === undefined ? until : earliest(until, r.until);
          continue;
        }
        return { op: r.op, next: any(...next) };
      }
      if (!anyPending) return undefined;
      return { pending: true, until, next: any(...next) };
    },
    update: (ctx, ev) => any(...live.map((g) => (g.update ? g.update(ctx, ev) : g))),
  };
}

/**
 * Phases one after another. A phase starts only once the previous one is exhausted AND every client
 * operation it started has completed, so "final reads" never overlap the last writes.
 */
export function phases(...gs: Generator[]): Generator {
  if (gs.length === 0) return { op: () => undefined };
  const [head, ...rest] = gs;
  return {
    op(ctx): GenResult {
      const r = head.op(ctx);
      if (r === undefined) {
        if (ctx.busyProcesses.length > 0) return { pending: true, next: phases(head, ...rest) };
        return rest.length === 0 ? undefined : phases(...rest).op(ctx);
      }
      return { ...r, next: phases(r.next, ...rest) } as GenResult;
    },
    update: (ctx: GenContext, ev: Op) => phases(head.update ? head.update(ctx, ev) : head, ...rest),
  };
}

/**
 * Picks among generators at random (seeded) for each operation: a read/write mix. The choice is kept
 * until that generator yields an operation, so the sequence of choices does not depend on timing.
 */
export function mix(weighted: readonly { weight: number; gen: Generator }[], chosen?: number): Generator {
  const total = weighted.reduce((s, w) => s + w.weight, 0);
  return {
    op(ctx): GenResult {
      let i = chosen ?? -1;
      if (i < 0) {
        let r = ctx.random() * total;
        for (i = 0; i < weighted.length - 1; i++) {
          r -= weighted[i].weight;
          if (r < 0) break;
        }
      }
      const res = weighted[i].gen.op(ctx);
      if (res === undefined) return undefined;
      const next = weighted.map((w, j) => (j === i ? { weight: w.weight, gen: res.next } : w));
      if ('pending' in res) return { pending: true, until: res.until, next: mix(next, i) };
      return { op: res.op, next: mix(next) };
    },
  };
}
