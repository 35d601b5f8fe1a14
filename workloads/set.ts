import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { setChecker } from '../checkers/set.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/** Add-wins set: unique elements added, whole-set reads; nothing acknowledged may be lost, nothing unknown appear. */
export function setWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'set/', opts.keyCount ?? 2);
  let next = 1;
  return {
    name: 'set',
    fs: new Set(['add', 'read']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      return ctx.random() < (opts.readRatio ?? 0.3) ? { f: 'read', key, value: null } : { f: 'add', key, value: next++ };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(setChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
