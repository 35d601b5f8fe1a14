import type { Client, Completion } from '../core/client.ts';
import type { GenContext, Generator } from '../core/generator.ts';
import type { Nemesis } from '../core/nemesis.ts';
import type { Op, ProcessId } from '../core/op.ts';

export interface InterpreterOptions {
  generator: Generator;
  /** Client worker threads; worker w serves region regions[w % regions.length] and starts as process w. */
  concurrency: number;
  regions: readonly string[];
  client: Client;
  nemesis?: Nemesis;
  /** Records one event; called in the order events happen. */
  record(op: Op): void;
  /** Nanoseconds since the run started. */
  now(): number;
  random(): number;
  /** Per-operation budget; an operation still running after it is recorded `info` and its process retired. */
  opTimeoutMs: number;
  /** Aborts the run: outstanding operations are recorded `info`, nothing new starts. */
  signal?: AbortSignal;
}

/** How long a client that ignores its aborted signal is waited for before its operation is recorded `info`. */
const CLIENT_GRACE_MS = 1000;

export interface InterpreterStats {
  invoked: number;
  completed: Record<'ok' | 'fail' | 'info', number>;
}

interface Worker {
  region: string;
  process: number;
  client?: Client;
  busy: boolean;
}

/**
 * Drives a generator against clients and a nemesis (Jepsen's interpreter, single-threaded over async I/O).
 * Events are recorded the moment they happen, so file order is real-time order; after an `info` the
 * worker continues under a fresh process id (old + concurrency), as HISTORY.md requires.
 */
export async function interpret(opts: InterpreterOptions): Promise<InterpreterStats> {
  const { concurrency, regions } = opts;
  const workers: Worker[] = Array.from({ length: concurrency }, (_, w) => ({
    region: regions[w % regions.length],
    process: w,
    busy: false,
  }));
  const byProcess = new Map<number, Worker>(workers.map((w) => [w.process, w]));
  let nemesisBusy = false;
  let gen = opts.generator;
  const stats: InterpreterStats = { invoked: 0, completed: { ok: 0, fail: 0, info: 0 } };
  const inflight = new Set<Promise<void>>();
  // Counted synchronously on completion: the promise bookkeeping above settles a tick later, too late for
  // the loop deciding whether anything is still running.
  let running = 0;
  const completed: Op[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const regionOf = (p: number): string => {
    const w = byProcess.get(p);
    if (!w) throw new Error(`process ${p} is not a live client process`);
    return w.region;
  };
  const context = (): GenContext => ({
    time: opts.now(),
    freeProcesses: [
      ...workers.filter((w) => !w.busy).map((w) => w.process),
      ...(opts.nemesis && !nemesisBusy ? (['nemesis'] as const) : []),
    ],
    busyProcesses: workers.filter((w) => w.busy).map((w) => w.process),
    regionOf,
    random: opts.random,
  });

  const complete = (event: Op) => {
    running--;
    opts.record(event);
    stats.completed[event.type as 'ok' | 'fail' | 'info']++;
    completed.push(event);
    notify();
  };

  const runClient = async (w: Worker, invoke: Op) => {
    const process = w.process;
    // One controller and one timer per operation, not deadline() (harness/core/deadline.ts) plus a hook for the grace
    // period: built on it, this path lost 10-20% of the harness's own rate (bench/harness.bench.ts, harness alone).
    // A client that ignores its aborted signal must not stall the run: past a grace period its outcome is unknown.
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let giveUp: (c: Completion) => void = () => {};
    const hung = new Promise<Completion>((resolve) => (giveUp = resolve));
    const abort = (reason: unknown) => {
      ac.abort(reason);
      clearTimeout(timer);
      timer = setTimeout(() => giveUp({ type: 'info', value: null, error: 'timeout: client did not return' }), CLIENT_GRACE_MS);
    };
    const onStop = () => abort(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onStop, { once: true });
    timer = setTimeout(() => abort(new DOMException('operation timed out', 'TimeoutError')), opts.opTimeoutMs);
    let c: Completion;
    try {
      w.client ??= await opts.client.open(w.region, process);
      c = await Promise.race([w.client.invoke(invoke, ac.signal), hung]);
    } catch (e) {
      c = { type: 'info', value: null, error: `client error: ${(e as Error).message}` };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onStop);
    }
    const event: Op = {
      type: c.type, process, f: invoke.f, ...(invoke.key !== undefined ? { key: invoke.key } : {}),
      value: c.value, time: opts.now(), region: invoke.region ?? w.region,
      ...(c.node ? { node: c.node } : {}), ...(c.error ? { error: c.error } : {}),
      ...(c.meta || invoke.meta ? { meta: { ...invoke.meta, ...c.meta } } : {}),
    };
    if (c.type === 'info') {
      const old = w.client;
      w.client = undefined;
      byProcess.delete(w.process);
      w.process += concurrency;
      byProcess.set(w.process, w);
      old?.close().catch(() => undefined);
    }
    w.busy = false;
    complete(event);
  };

  const runNemesis = async (invoke: Op) => {
    let value: unknown;
    let error: string | undefined;
    let tookEffect = false;
    try {
      const out = await opts.nemesis!.invoke(invoke);
      value = out.value;
      tookEffect = out.tookEffect;
      error = out.error;
    } catch (e) {
      value = null;
      error = (e as Error).message;
    }
    nemesisBusy = false;
    complete({
      type: 'info', process: 'nemesis', f: invoke.f, value, time: opts.now(),
      ...(error ? { error } : {}), meta: { ...invoke.meta, tookEffect },
    });
  };

  const start = (task: Promise<void>) => {
    running++;
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
  };

  while (!opts.signal?.aborted) {
    while (completed.length > 0) {
      const ev = completed.shift()!;
      if (gen.update) gen = gen.update(context(), ev);
    }
    const ctx = context();
    const r = gen.op(ctx);
    if (r === undefined) {
      if (running === 0) break;
      await new Promise<void>((res) => (wake = res));
      continue;
    }
    if ('pending' in r) {
      gen = r.next;
      const waitNs = r.until === undefined ? undefined : r.until - ctx.time;
      if (running === 0 && waitNs === undefined) {
        throw new Error('generator is waiting for a completion but no operation is in flight (a generator bug)');
      }
      await new Promise<void>((res) => {
        wake = res;
        if (waitNs !== undefined) setTimeout(notify, Math.max(0, waitNs / 1e6));
      });
      continue;
    }
    gen = r.next;
    const invoke: Op = { ...r.op, type: 'invoke', time: opts.now() } as Op;
    const p: ProcessId = invoke.process;
    if (p === 'nemesis') {
      if (!opts.nemesis || nemesisBusy) throw new Error(`generator produced a nemesis op while the nemesis is ${opts.nemesis ? 'busy' : 'absent'}`);
      nemesisBusy = true;
      opts.record(invoke);
      stats.invoked++;
      start(runNemesis(invoke));
    } else {
      const w = byProcess.get(p);
      if (!w || w.busy) throw new Error(`generator produced an op for process ${p}, which is ${w ? 'busy' : 'not live'}`);
      w.busy = true;
      invoke.region ??= w.region;
      opts.record(invoke);
      stats.invoked++;
      start(runClient(w, invoke));
    }
    if (gen.update) gen = gen.update(opts.now() === ctx.time ? ctx : context(), invoke);
  }
  await Promise.allSettled([...inflight]);
  await Promise.allSettled(workers.map((w) => w.client?.close()));
  return stats;
}
