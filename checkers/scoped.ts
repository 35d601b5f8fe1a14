import type { Checker } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';

/**
 * A checker that judges one part of a composite workload: the client operations tagged `meta.part` with that part,
 * plus what every part shares (faults, and the harness's probes). Its result is named `name [label]`.
 */
export function scoped(checker: Checker, part: string | readonly string[], label: string, keyPrefix?: string): Checker {
  const parts = new Set<unknown>(typeof part === 'string' ? [part] : part);
  const mine = (op: IndexedOp): boolean => op.process === 'nemesis' || op.meta?.probe === true || parts.has(op.meta?.part);
  return {
    name: `${checker.scope?.checker ?? checker.name} [${label}]`,
    scope: { part, label, checker: checker.scope?.checker ?? checker.name, ...(keyPrefix !== undefined ? { keyPrefix } : {}) },
    check: (history, opts) => checker.check(history.filter(mine), opts),
  };
}
