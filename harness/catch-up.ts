import type { Generator, GenResult } from './core/generator.ts';
import type { Op } from './core/op.ts';
import { caughtUp, type Applied } from '../checkers/catch-up.ts';

export interface CatchUpOptions {
  regions: readonly string[];
  /** Give up after this long: what is still missing then is the convergence checker's finding. */
  timeoutMs: number;
  /** Pause between two digest reads of one region. */
  intervalMs: number;
}

/**
 * The phase between healing and final reads: reads every region's digest (`f: "digest"`, `meta.probe` and
 * `meta.catchUp`, so checkers see them as the harness observing) until every region has applied every write, or the
 * timeout passes. Final reads that start before a late-restarted region caught up would report as lost the writes it
 * simply had not applied yet.
 */
export function catchUp(o: CatchUpOptions): Generator {
  let start: number | undefined;
  const latest = new Map<string, Applied | undefined>();
  const inflight = new Set<string>();
  const nextAt = new Map<string, number>();
  const meta = { probe: true, catchUp: { timeoutMs: o.timeoutMs } };
  const self: Generator = {
    op(ctx): GenResult {
      start ??= ctx.time;
      if (caughtUp(o.regions, latest) || ctx.time - start >= o.timeoutMs * 1e6) return undefined;
      let wake = start + o.timeoutMs * 1e6;
      for (const region of o.regions) {
        if (inflight.has(region)) continue;
        const at = nextAt.get(region) ?? 0;
        if (at > ctx.time) {
          wake = Math.min(wake, at);
          continue;
        }
        const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number');
        if (process === undefined) return { pending: true, next: self };
        inflight.add(region);
        return { op: { f: 'digest', value: null, region, process, meta }, next: self };
      }
      return { pending: true, until: wake, next: self };
    },
    update(ctx, ev: Op) {
      if (ev.f !== 'digest' || ev.type === 'invoke' || !ev.meta?.catchUp || typeof ev.region !== 'string') return self;
      inflight.delete(ev.region);
      nextAt.set(ev.region, ctx.time + o.intervalMs * 1e6);
      const applied = (ev.value as { applied?: Applied } | null)?.applied;
      latest.set(ev.region, ev.type === 'ok' && applied && typeof applied === 'object' ? applied : undefined);
      return self;
    },
  };
  return self;
}
