import { partitionResult, type PartitionResult } from './explain.ts';
import type { LinearizableModel } from './model.ts';
import type { Partition } from './prepare.ts';
import { searchPartition, type SearchLimits } from './wgl.ts';

/** What a partition check needs besides the model; structured-clonable so a worker thread can take it. */
export interface JobLimits {
  deadline: number;
  maxCacheEntries: number;
  maxCacheBytes: number;
  symmetry: boolean;
  witness: boolean;
}

export function runJob<S>(model: LinearizableModel<S>, part: Partition, limits: JobLimits, stop: Int32Array, signal?: AbortSignal): PartitionResult {
  const searchLimits: SearchLimits = { ...limits, stop, signal };
  return partitionResult(model, part.key, searchPartition(model, part.ops, searchLimits), limits.witness);
}
