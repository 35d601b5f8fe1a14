import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { siblingsChecker } from '../checkers/siblings.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { mvRegisterWorkload } from './mv-register.ts';

/**
 * Riak-style siblings: the multi-value register's operations on `siblings/` keys, whose reads answer one value plus
 * the sibling list. Judged as a multi-value register on the sibling lists, and on the value each read presents
 * (checkers/siblings.ts), with the mv-register workload's convergence and version-order checks.
 */
export function siblingsWorkload(opts: WorkloadOptions): Workload {
  const keyPrefix = opts.keyPrefix ?? 'siblings/';
  const mv = mvRegisterWorkload({ ...opts, keyPrefix });
  const rest = mv.checkers.filter((c) => c.name !== 'mv-register');
  return { ...mv, name: 'siblings', checkers: [withoutProbes(siblingsChecker({ readsSeeLocalWrites: !keyPrefix.startsWith('hot/') })), ...rest] };
}
