import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CheckPlan } from './check-file.ts';
import type { FileOutcome } from './check-outcome.ts';
import type { FileDone, FileJob } from './check-worker.ts';
import { EXIT } from './exit-codes.ts';

/** From the sources the worker goes through an entry that registers tsx; from the build it loads directly. */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './check-worker-entry.mjs' : './check-worker.js', import.meta.url);

/** One worker per core, at most one per file: each costs a module load (tens of ms), so no more than can run. */
export const fileWorkers = (files: number): number => Math.max(1, Math.min(files, availableParallelism(), 8));

/**
 * Checks files on worker threads, each worker taking the next file when it finishes one, and hands each
 * outcome to `onOutcome` in the order of `files` (an outcome decided early waits for those before it), so the
 * output does not depend on timing. A worker that dies takes only its current file with it (exit 70); a new
 * worker carries on with the rest.
 */
export async function checkOnWorkers(
  files: readonly string[], plan: CheckPlan, outDirFor: (index: number) => string | undefined, onOutcome: (o: FileOutcome) => void,
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
  await Promise.all(Array.from({ length: fileWorkers(files.length) }, runWorker));
  return outcomes as FileOutcome[];
}
