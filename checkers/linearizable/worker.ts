import { parentPort } from 'node:worker_threads';
import { runJob, type JobLimits } from './job.ts';
import { namedModel, type ModelName } from './models/index.ts';
import type { Partition } from './prepare.ts';

export interface WorkerRequest {
  id: number;
  model: { name: ModelName; initial?: unknown };
  part: Partition;
  limits: JobLimits;
  stop: Int32Array;
}

export type WorkerReply = { id: number; result: ReturnType<typeof runJob> } | { id: number; error: string };

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    const result = runJob(namedModel(req.model.name, req.model.initial), req.part, req.limits, req.stop);
    parentPort!.postMessage({ id: req.id, result } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) } satisfies WorkerReply);
  }
});
