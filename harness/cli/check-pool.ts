import { availableParallelism, loadavg } from 'node:os';
import { startBudget } from './budget.ts';
import { checkFile, type CheckIo, type CheckPlan } from './check-file.ts';
import type { FileOutcome } from './check-outcome.ts';
import type { FileDone, FileJob } from './check-worker.ts';
import { EXIT } from './exit-codes.ts';

/** From the sources the worker goes through an entry that registers tsx; from the build it loads directly. */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './check-worker-entry.mjs' : './check-worker.js', import.meta.url);

/**
 * How long the main thread checks alone before worker threads join it. A worker takes 35–50 ms to start from the
 * build and then checks with cold code, so a call that ends sooner is best left to the main thread (on Porcupine's
 * corpus, workers from the start cost 45% more CPU time and saved no wall time). Joining at 0.1 s, a helper takes
 * the second of two long files while the main thread is still on the first.
 */
const HELP_AFTER_MS = 100;

/** Who checks the files of a call: `workers` worker threads, and the main thread too unless `--workers` named them. */
export interface Sharing {
  workers: number;
  mainToo: boolean;
  /** With the main thread: how long it checks alone before the workers join. */
  helpAfterMs: number;
}

/**
 * Cores no process is using: the cores less the load average of the last minute. A helper thread pays only on a
 * core that would otherwise be idle; on this shared 2-core machine at load 11–14, helpers cost 30% more CPU time
 * and made the call slower.
 */
export const spareCores = (): number => Math.max(0, Math.floor(availableParallelism() - loadavg()[0]));

/**
 * `--workers N`: N worker threads from the start (1: the main thread alone). Without it: the main thread, joined
 * after HELP_AFTER_MS by a worker per spare core (at most 8 threads, one per file), if files are still waiting.
 */
export function sharing(files: number, requested: number | undefined, spare: number): Sharing {
  if (requested !== undefined) return requested > 1 ? { workers: Math.min(requested, files), mainToo: false, helpAfterMs: 0 } : { workers: 0, mainToo: true, helpAfterMs: 0 };
  return { workers: Math.max(0, Math.min(spare, 7, files - 1)), mainToo: true, helpAfterMs: HELP_AFTER_MS };
}

/**
 * Checks files, each thread taking the next file when it finishes one, and hands each outcome to `onOutcome` in
 * the order of `files` (an outcome decided early waits for those before it), so the output does not depend on
 * timing. A worker that dies takes only its current file with it (exit 70); a new worker carries on with the rest.
 */
export async function checkFiles(
  files: readonly string[], plan: CheckPlan, share: Sharing, outDirFor: (index: number) => string | undefined, onOutcome: (o: FileOutcome) => void, io: CheckIo,
): Promise<FileOutcome[]> {
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  let next = 0;
  let printed = 0;
  const settle = (index: number, o: FileOutcome): void => {
    outcomes[index] = o;
    while (printed < files.length && outcomes[printed]) onOutcome(outcomes[printed++]!);
  };
  // worker_threads is loaded with the first worker: a call that starts none (one file, a short call) spares it.
  const runWorker = async (): Promise<void> => {
    const { Worker } = await import('node:worker_threads');
    return new Promise<void>((resolve) => {
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
  };
  const helpers: Promise<void>[] = [];
  const startWorkers = (): void => {
    for (let i = 0; i < share.workers && next < files.length; i++) helpers.push(runWorker());
  };
  if (!share.mainToo) {
    startWorkers();
    await Promise.all(helpers);
    return outcomes as FileOutcome[];
  }
  // The main thread's checks yield to the event loop between steps, so the timer fires mid-file.
  const timer = share.workers > 0 ? setTimeout(startWorkers, share.helpAfterMs) : undefined;
  const budget = startBudget(plan.budget);
  try {
    while (next < files.length) {
      const i = next++;
      settle(i, await checkFile(files[i], plan, budget, outDirFor(i), io));
    }
  } finally {
    clearTimeout(timer);
    budget.dispose();
  }
  await Promise.all(helpers);
  return outcomes as FileOutcome[];
}
