import { deadline } from './core/deadline.ts';
import type { Client } from './core/client.ts';
import type { Op } from './core/op.ts';

export interface ProberOptions {
  client: Client;
  regions: readonly string[];
  intervalMs: number;
  opTimeoutMs: number;
  record(op: Op): void;
  now(): number;
}

/**
 * Process ids for probes start far above client ids, which only grow by `concurrency` per crashed process,
 * so the two never meet within a run.
 */
export const PROBE_PROCESS_BASE = 1_000_000;

/**
 * Polls every region's digest (`f: "digest"`, `meta.probe: true`) for the whole run, so the convergence
 * checker can time how long each region takes to catch up after a fault ends. One loop per region; like
 * any process, a probe whose outcome is unknown retires its id.
 */
export function startProber(o: ProberOptions): { stop(): Promise<void> } {
  const stop = new AbortController();
  const loops = o.regions.map(async (region, r) => {
    let process = PROBE_PROCESS_BASE + r;
    let client = await o.client.open(region, process);
    while (!stop.signal.aborted) {
      const invoke: Op = { type: 'invoke', process, f: 'digest', value: null, time: o.now(), region, meta: { probe: true } };
      o.record(invoke);
      const bound = deadline(stop.signal, o.opTimeoutMs);
      const c = await client
        .invoke(invoke, bound.signal)
        .catch((e: Error) => ({ type: 'info' as const, value: null, error: e.message }))
        .finally(bound.release);
      o.record({
        type: c.type, process, f: 'digest', value: c.value, time: o.now(), region,
        ...(c.error ? { error: c.error } : {}), meta: { probe: true },
      });
      if (c.type === 'info') {
        await client.close();
        process += o.regions.length;
        client = await o.client.open(region, process);
      }
      await new Promise<void>((res) => {
        const done = () => { clearTimeout(t); stop.signal.removeEventListener('abort', done); res(); };
        const t = setTimeout(done, o.intervalMs);
        stop.signal.addEventListener('abort', done);
      });
    }
    await client.close();
  });
  return {
    async stop() {
      stop.abort();
      await Promise.allSettled(loops);
    },
  };
}
