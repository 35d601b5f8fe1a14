import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { sessionGuaranteesChecker } from '../checkers/session-guarantees.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { registerVersionsChecker } from '../checkers/register-versions.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { finalReads, keyNames, randomKey } from './keys.ts';
import { layerChecks } from './layer-checks.ts';

/**
 * Roaming sessions: each operation goes to a random region while the process carries its session token, which
 * is where read-your-writes, monotonic reads and writes and writes-follow-reads break if the layer does not honour
 * the token. Half the keys are sets (judged by their contents, merged by dots) and half last-writer-wins registers
 * under `lwwreg/session-` (judged by version order, so timestamp and tie-break mistakes show, and every read must
 * show the write of the version it reports); final reads judge convergence of both.
 */
export function sessionWorkload(opts: WorkloadOptions): Workload {
  const count = opts.keyCount ?? 3;
  const setKeys = keyNames(opts.keyPrefix ?? 'set/session-', count);
  const registerKeys = keyNames('lwwreg/session-', count);
  let next = 1;
  return {
    name: 'session',
    fs: new Set(['add', 'write', 'read']),
    generator: clientOps((ctx) => {
      const register = ctx.random() < 0.5;
      const key = randomKey(ctx, register ? registerKeys : setKeys);
      const region = opts.regions[Math.floor(ctx.random() * opts.regions.length)];
      if (ctx.random() < (opts.readRatio ?? 0.5)) return { f: 'read', key, value: null, region };
      return { f: register ? 'write' : 'add', key, value: next++, region };
    }),
    finalGenerator: finalReads(opts.regions, [...setKeys, ...registerKeys]),
    checkers: [withoutProbes(sessionGuaranteesChecker()), withoutProbes(registerVersionsChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, setKeys[0])],
  };
}
