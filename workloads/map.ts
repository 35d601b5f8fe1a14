import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { mapChecker } from '../checkers/map.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';
import { counterDelta } from './counter.ts';

/**
 * Maps of CRDTs: each key a map with a PN-counter field (`hits`, increments and decrements) and an OR-set field
 * (`tags`, unique adds), updated field by field from every region and read whole. Each field is held to its own
 * type's promise (checkers/map.ts), so a map merge that loses a field's concurrent updates shows as lost increments
 * or adds even where a whole-key merge would not.
 */
export function mapWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'map/', opts.keyCount ?? 2);
  let nextTag = 1;
  return {
    name: 'map',
    fs: new Set(['map-update', 'read']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      if (ctx.random() < (opts.readRatio ?? 0.3)) return { f: 'read', key, value: null };
      if (ctx.random() < 0.5) return { f: 'map-update', key, value: { field: 'hits', type: 'pn-counter', op: { op: 'incr', delta: counterDelta(ctx) } } };
      return { f: 'map-update', key, value: { field: 'tags', type: 'or-set', op: { op: 'add', element: nextTag++ } } };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(mapChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
