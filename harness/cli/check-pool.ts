import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CheckPlan } from './check-file.ts';
import type { FileOutcome } from './check-outcome.ts';
import type { FileDone, FileJob } from './check-worker.ts';
import { EXIT } from './exit-codes.ts';

/** From the sources the worker goes through an entry that registers tsx; from the build it loads directly. */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './check-worker-entry.mjs' : './check-worker.js', import.meta.url);

/**
 * History bytes that make one more worker thread worth its cost. A worker loads the modules again and warms up
 * its own JIT: on the Porcupine corpus (1.6 MB of etcd logs, 102 files) two workers took about 45% more CPU than
 * the main thread alone and no less wall time on this 2-core machine, so small inputs stay on the main thread.
 */
const BYTES_PER_WORKER = 2 << 20;

/**
 * How many worker threads check `files`: `requested` if given (--workers), else one per core and per
 * BYTES_PER_WORKER of input, at most one per file and 8. At most 1 means the main thread checks them in turn.
 */
export function fileWorkers(files: readonly string[], requested?: number): number {
  if (requested !== undefined) return Math.min(requested, files.length);
  const bytes = files.reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
  return Math.min(files.length, availableParallelism(), 8, Math.floor(bytes / BYTES_PER_WORKER));
}

/**
 * Checks files on worker threads, each worker taking the next file when it finishes one, and hands each
 * outcome to `onOutcome` in the order of `files` (an outcome decided early waits for those before it), so the
 * output does not depend on timing. A worker that dies takes only its current file with it (exit 70); a new
 * worker carries on with the rest.
 */
export async function checkOnWorkers(
  files: readonly string[], workers: number, plan: CheckPlan, outDirFor: (index: number) => string | undefined, onOutcome: (o: FileOutcome) => void,
): Promise<FileOutcome[]> {
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  let next = 0;
  let printed = 0;
  const settle = (index: number, o: FileOutcome): void => {
    outcomes[index] = o;
    while (printed < files.length && outcomes[printed]) onOutcome(outcomes[printed++]!);
  };
  const runWorker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const w = new Worker(WORKER, { workerData: plan });
      let current = -1;
      const give = (): void => {
        if (next >= files.length) {
          current = -1;
          void w.terminate();
          return;
        }
        current = next++;
        w.postMessage({ id: current, file: files[current], outDir: outDirFor(current) } satisfies FileJob);
      };
      w.on('message', (m: FileDone) => {
        settle(m.id, m.outcome);
        give();
      });
      w.once('error', (e: Error) => {
        if (current >= 0) {
          console.error(`rift: internal error checking ${files[current]}: the worker thread failed: ${e.stack ?? e.message}`);
          settle(current, { file: files[current], exitCode: EXIT.internal, error: `internal error: ${e.message}` });
          current = -1;
        }
      });
      w.once('exit', () => {
        if (current >= 0) settle(current, { file: files[current], exitCode: EXIT.internal, error: 'internal error: the worker thread exited' });
        resolve(next < files.length ? runWorker() : undefined);
      });
      give();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return outcomes as FileOutcome[];
}
