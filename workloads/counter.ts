import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import type { GenContext } from '../harness/core/generator.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { counterChecker } from '../checkers/counter.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/** ±1..5, decrements nearly as often as increments, so values cross zero and a merge that drops or doubles either side shows. */
export function counterDelta(ctx: GenContext): number {
  const size = 1 + Math.floor(ctx.random() * 5);
  return ctx.random() < 0.55 ? size : -size;
}

/** PN-counter increments and decrements (±1..5) and reads; the final value must be admissible in every region. */
export function counterWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'counter/', opts.keyCount ?? 2);
  return {
    name: 'counter',
    fs: new Set(['incr', 'read']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      if (ctx.random() < (opts.readRatio ?? 0.3)) return { f: 'read', key, value: null };
      return { f: 'incr', key, value: counterDelta(ctx) };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(counterChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
