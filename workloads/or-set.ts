import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { orSetChecker } from '../checkers/or-set.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/** Elements per key: few enough that every element is added, removed and added again, often from two regions at once. */
const POOL = 6;

/**
 * Observed-remove set with adds and removes of a small pool of elements per key, so removes race adds of the same
 * element in other regions. Judged by add-wins semantics (an element is present iff some add is not causally covered
 * by a remove, from the dots the layer reports in `meta.orset`, checked on every read in the add's own region except
 * on the cached hot tier, and on the final reads everywhere) and by convergence of the final reads.
 */
export function orSetWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'set/or-', opts.keyCount ?? 2);
  const readRatio = opts.readRatio ?? 0.2;
  return {
    name: 'or-set',
    fs: new Set(['add', 'remove', 'read']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      const r = ctx.random();
      if (r < readRatio) return { f: 'read', key, value: null };
      const element = Math.floor(ctx.random() * POOL);
      return { f: ctx.random() < 0.55 ? 'add' : 'remove', key, value: element };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(orSetChecker({ readsSeeLocalWrites: !keys[0].startsWith('hot/') })), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
