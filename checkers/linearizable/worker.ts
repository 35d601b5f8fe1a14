import { parentPort } from 'node:worker_threads';
import { drain, type JobLimits } from './drain.ts';
import type { PartitionResult } from './explain.ts';
import { namedModel, type ModelName } from './models/index.ts';
import { unpackPartitions, type PackedPartitions } from './packed.ts';

export interface WorkerRequest {
  run: number;
  model: { name: ModelName; initial?: unknown };
  parts: PackedPartitions;
  limits: JobLimits;
  ctl: Int32Array;
}

export type WorkerReply =
  | { run: number; index: number; result: PartitionResult }
  | { run: number; done: true }
  | { run: number; error: string };

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    const model = namedModel(req.model.name, req.model.initial);
    const steps = drain(model, unpackPartitions(req.parts), req.ctl, req.limits, (index, result) => parentPort!.postMessage({ run: req.run, index, result } satisfies WorkerReply));
    // A worker has nothing else to do between slices: the shared stop word reaches it without the event loop.
    for (const _ of steps);
    parentPort!.postMessage({ run: req.run, done: true } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ run: req.run, error: (e as Error).stack ?? String(e) } satisfies WorkerReply);
  }
});
