import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { PartitionResult } from './explain.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

/**
 * Worker threads kept for the life of the process (unref'd, so they never hold it open): starting one under
 * tsx costs tens of milliseconds, more than most partitions take to check.
 */
const idle: Worker[] = [];
let live = 0;
let nextId = 1;

let cores: number | undefined;
/** The cores, at most 8; asked of the OS once (it is a system call, and a small check takes microseconds). */
export const defaultWorkers = (): number => (cores ??= Math.max(1, Math.min(availableParallelism(), 8)));

/**
 * Worker threads do not inherit the parent's tsx loader on Node 20: from the sources the worker goes through
 * worker-entry.mjs, which registers it; from the compiled build (scripts/build.sh) it loads worker.js directly.
 */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './worker.js', import.meta.url);

/** Loaded with the first worker: most checks end before they would start one, and the module costs start-up time. */
async function spawn(): Promise<Worker> {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(WORKER);
  w.unref();
  live++;
  w.once('exit', () => {
    live--;
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
  });
  return w;
}

/**
 * Lets one pooled worker drain partitions of a check alongside the caller; each decided partition is passed to
 * onResult as it arrives. Rejects if the worker fails or dies: its claimed partitions then stay undecided.
 */
export async function drainOnWorker(req: Omit<WorkerRequest, 'run'>, onResult: (index: number, result: PartitionResult) => void): Promise<void> {
  const w = idle.pop() ?? (await spawn());
  const run = nextId++;
  // Referenced while busy, so a caller awaiting only this worker keeps the process alive.
  w.ref();
  return new Promise<void>((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.run !== run) return;
      if ('index' in reply) return onResult(reply.index, reply.result);
      cleanup();
      w.unref();
      idle.push(w);
      if ('error' in reply) reject(new Error(`linearizability worker failed: ${reply.error}`));
      else resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new Error(`linearizability worker crashed: ${err.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`linearizability worker exited with code ${code}`));
    };
    const cleanup = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.once('error', onError);
    w.once('exit', onExit);
    w.postMessage({ ...req, run } satisfies WorkerRequest);
  });
}

/** Workers currently started (idle or busy); for tests that check nothing leaks. */
export const poolSize = (): number => live;

/** Stops every idle worker. */
export async function shutdownPool(): Promise<void> {
  const ws = idle.splice(0);
  await Promise.all(ws.map((w) => w.terminate()));
}
