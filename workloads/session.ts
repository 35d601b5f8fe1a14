import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { sessionGuaranteesChecker } from '../checkers/session-guarantees.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { keyNames, randomKey } from './keys.ts';

/**
 * Roaming sessions: each operation goes to a random region while the process carries its session token, which
 * is where read-your-writes and monotonic reads break if the layer does not honour the token.
 */
export function sessionWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'set/session-', opts.keyCount ?? 3);
  let next = 1;
  return {
    name: 'session',
    fs: new Set(['add', 'read']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      const region = opts.regions[Math.floor(ctx.random() * opts.regions.length)];
      return ctx.random() < 0.5 ? { f: 'read', key, value: null, region } : { f: 'add', key, value: next++, region };
    }),
    checkers: [withoutProbes(sessionGuaranteesChecker())],
  };
}
