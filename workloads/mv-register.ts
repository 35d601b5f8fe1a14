import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { mvRegisterChecker } from '../checkers/mv-register.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/**
 * Multi-value registers: blind writes of unique values and reads. Writes from regions that have not seen each other
 * must all survive as siblings until a write that saw them replaces them; judged on the final reads by the writes'
 * vector clocks (and on every read in a write's own region), and by convergence.
 */
export function mvRegisterWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'mvreg/', opts.keyCount ?? 3);
  let next = 1;
  return {
    name: 'mv-register',
    fs: new Set(['read', 'write']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      return ctx.random() < (opts.readRatio ?? 0.3) ? { f: 'read', key, value: null } : { f: 'write', key, value: next++ };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(mvRegisterChecker({ readsSeeLocalWrites: !keys[0].startsWith('hot/') })), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
