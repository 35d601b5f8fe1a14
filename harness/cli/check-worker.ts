import { parentPort, workerData } from 'node:worker_threads';
import { resultsJson } from '../../reports/json.ts';
import { startBudget } from './budget.ts';
import { checkFile, type CheckPlan } from './check-file.ts';
import type { FileOutcome } from './check-outcome.ts';

/** A file for a worker of check-pool.ts to check, and what it sends back. */
export interface FileJob {
  id: number;
  file: string;
  outDir?: string;
}
export interface FileDone {
  id: number;
  outcome: FileOutcome;
}

const plan = workerData as CheckPlan;
// A worker's clock and CPU count are the process's (performance.timeOrigin and process.cpuUsage() are shared by
// every thread), so its budget runs out at the same moment as the main thread's.
const budget = startBudget(plan.budget);

parentPort!.on('message', async (job: FileJob) => {
  const outcome = await checkFile(job.file, plan, budget, job.outDir);
  // Results cross to the main thread as results.json holds them: a structured clone would drop toJSON methods.
  if (outcome.results) outcome.results = JSON.parse(resultsJson(outcome.results));
  parentPort!.postMessage({ id: job.id, outcome } satisfies FileDone);
});
