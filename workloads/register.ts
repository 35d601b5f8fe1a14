import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { linearizableChecker } from '../checkers/linearizable/index.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { sessionGuaranteesChecker } from '../checkers/session-guarantees.ts';
import { counterPerKey, finalReads, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { staleReadsChecker } from '../checkers/stale-reads.ts';
import { layerChecks } from './layer-checks.ts';

/**
 * Reads and blind writes of unique values over a few keys. On the eventual tier this is expected to be
 * convergent but not linearizable under partitions; on the critical tier (keyPrefix "critical/") it must be both.
 */
export function registerWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'register/', opts.keyCount ?? 4);
  const readRatio = opts.readRatio ?? 0.5;
  const nextValue = counterPerKey();
  // Session guarantees are implied by linearizability, and the critical tier reports no version tokens to check
  // them with, so they are judged only where the tier promises less.
  const critical = keys[0].startsWith('critical/');
  return {
    name: 'register',
    fs: new Set(['read', 'write']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      return ctx.random() < readRatio
        ? { f: 'read', key, value: null }
        : { f: 'write', key, value: nextValue(key) };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [
      withoutProbes(linearizableChecker({ model: 'register', budgetMs: opts.checkBudgetMs })),
      convergenceChecker({ regions: opts.regions }),
      ...(critical ? [] : [withoutProbes(sessionGuaranteesChecker())]),
      staleReadsChecker(),
      ...layerChecks(opts, keys[0]),
      // The hot cache against the region's own writes: a local write drops the cached entry, and a load that raced
      // it is not cached, so no read begun after the write's ack may show less (replicated writes arrive when they
      // do, as on normal keys). The layer's hotStalenessMs caps only how long a missed drop would last.
      ...(keys[0].startsWith('hot/') ? [staleReadsChecker({ name: 'hot-staleness', sameRegion: true, maxMsBehind: 0 })] : []),
    ],
  };
}
