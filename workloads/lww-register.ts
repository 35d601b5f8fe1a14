import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { registerVersionsChecker } from '../checkers/register-versions.ts';
import { sessionGuaranteesChecker } from '../checkers/session-guarantees.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { counterPerKey, finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/**
 * Last-writer-wins registers on the eventual tier: blind writes of unique values and reads from clients that stay in
 * their region, so writes from several regions race on few keys. Judged by what the tier promises: every read shows
 * the write of the version it reports (the version order is the winning order), session guarantees by version, and
 * convergence of the final reads. Not by linearizability, which the tier does not promise.
 */
export function lwwRegisterWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'lwwreg/', opts.keyCount ?? 2);
  const nextValue = counterPerKey();
  return {
    name: 'lww-register',
    fs: new Set(['read', 'write']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      return ctx.random() < (opts.readRatio ?? 0.5) ? { f: 'read', key, value: null } : { f: 'write', key, value: nextValue(key) };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(registerVersionsChecker()), withoutProbes(sessionGuaranteesChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
