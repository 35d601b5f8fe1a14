import type { Checker } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';

const isProbe = (op: IndexedOp): boolean => op.meta?.probe === true;

/**
 * Convergence probes (digest reads) are the harness observing, not the workload's operations: checkers of
 * the data model must not see them. Line numbers are kept, so results still point into the file.
 */
export function withoutProbes(checker: Checker): Checker {
  return {
    name: checker.name,
    check: (history, opts) => checker.check(history.filter((op) => !isProbe(op)), opts),
  };
}
