import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { listAppendChecker } from '../checkers/elle/index.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { txnGenerator } from './txn.ts';

/**
 * Elle's list-append: transactions of appends (unique per key) and reads. Each key gets a bounded number of
 * appends before the generator moves on to fresh keys, which keeps reads long enough to infer orders and
 * dependency graphs small.
 */
export function listAppendWorkload(opts: WorkloadOptions & { consistencyModels?: string[] }): Workload {
  return {
    name: 'list-append',
    fs: new Set(['txn']),
    generator: clientOps(txnGenerator({ prefix: opts.keyPrefix ?? 'txn/la-', write: 'append', activeKeys: opts.keyCount ?? 5 })),
    checkers: [withoutProbes(listAppendChecker({ consistencyModels: opts.consistencyModels ?? ['strict-serializable'], budgetMs: opts.checkBudgetMs }))],
  };
}
