import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { writeOnceChecker } from '../checkers/write-once.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { finalReads, keyNames } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/** Writes aimed at each key before the next one's turn: enough that clients in every region race for its first write. */
const WRITES_PER_KEY = 16;

/**
 * Write-once keys (`reject/`): clients in every region race to write each key first, a key at a time, with unique
 * values; some writes go back to keys already taken, which every region must refuse once it holds them. Reads follow
 * the keys being written. Judged by checkers/write-once.ts (refusals, the earliest write kept everywhere, conflicts
 * flagged) and by convergence. Keys are used in turn and then again from the first, all of them refused by then.
 */
export function writeOnceWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'reject/', opts.keyCount ?? 60);
  let writes = 0;
  let next = 1;
  return {
    name: 'write-once',
    fs: new Set(['read', 'write']),
    generator: clientOps((ctx) => {
      const turn = Math.floor(writes / WRITES_PER_KEY);
      // The key in turn, or one of the two before it (taken by now, so only refusals are right).
      const back = ctx.random() < 0.25 ? 1 + Math.floor(ctx.random() * 2) : 0;
      const key = keys[Math.max(0, turn - back) % keys.length];
      if (ctx.random() < (opts.readRatio ?? 0.3)) return { f: 'read', key, value: null };
      writes++;
      return { f: 'write', key, value: next++ };
    }),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(writeOnceChecker()), convergenceChecker({ regions: opts.regions, registerWins: 'earliest' }), ...layerChecks(opts, keys[0])],
  };
}
