import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PartitionResult } from './explain.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

/**
 * Worker threads kept for the life of the process (unref'd, so they never hold it open): starting one under
 * tsx costs tens of milliseconds, more than most partitions take to check.
 */
const idle: Worker[] = [];
let live = 0;
let nextId = 1;

export const defaultWorkers = (): number => Math.max(1, Math.min(availableParallelism(), 8));

function execArgv(): string[] {
  const args = process.execArgv;
  const hasTsx = args.some((a, i) => /(^|=)tsx(\/esm)?$/.test(a) || (a === '--import' && /tsx/.test(args[i + 1] ?? '')));
  return hasTsx ? [...args] : [...args, '--import', import.meta.resolve('tsx')];
}

function spawn(): Worker {
  const w = new Worker(new URL('./worker.ts', import.meta.url), { execArgv: execArgv() });
  w.unref();
  live++;
  w.once('exit', () => {
    live--;
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
  });
  return w;
}

/** Runs one partition on a pooled worker; a crashed worker yields an error, never a verdict. */
export function runOnWorker(req: Omit<WorkerRequest, 'id'>): Promise<PartitionResult> {
  const w = idle.pop() ?? spawn();
  const id = nextId++;
  // Referenced while busy, so a caller awaiting only this job keeps the process alive.
  w.ref();
  return new Promise<PartitionResult>((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return;
      cleanup();
      w.unref();
      idle.push(w);
      if ('error' in reply) reject(new Error(`linearizability worker failed on key ${req.part.key}: ${reply.error}`));
      else resolve(reply.result);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new Error(`linearizability worker crashed on key ${req.part.key}: ${err.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`linearizability worker exited (code ${code}) on key ${req.part.key}`));
    };
    const cleanup = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.once('error', onError);
    w.once('exit', onExit);
    w.postMessage({ ...req, id } satisfies WorkerRequest);
  });
}

/** Workers currently started (idle or busy); for tests that check nothing leaks. */
export const poolSize = (): number => live;

/** Stops every idle worker. */
export async function shutdownPool(): Promise<void> {
  const ws = idle.splice(0);
  await Promise.all(ws.map((w) => w.terminate()));
}
