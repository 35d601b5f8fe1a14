import type { Checker } from '../harness/core/checker.ts';
import type { WorkloadOptions } from '../harness/core/workload.ts';
import { versionOrderFor } from '../checkers/version-order.ts';
import { degradedMarkersChecker } from '../checkers/degraded-markers.ts';

/**
 * What every workload that writes the layer's normal or hot keys is also held to: versions that only rise per region
 * (version-order) and conflict markers on writes a region accepts below quorum (degraded-markers). Both read what only
 * the layer reports, so other targets leave them out; critical keys neither carry HLC versions nor accept writes
 * below quorum (`aKey`: one of the workload's keys, which share a tier).
 */
export function layerChecks(opts: WorkloadOptions, aKey: string): Checker[] {
  if (aKey.startsWith('critical/')) return [];
  const order = versionOrderFor(opts.target);
  return order.length ? [...order, degradedMarkersChecker({ regions: opts.regions })] : [];
}
