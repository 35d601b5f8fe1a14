import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { rwRegisterChecker } from '../checkers/elle/index.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { txnGenerator } from './txn.ts';

/** Elle's rw-register: transactions of blind writes (unique values) and reads over rotating keys. */
export function rwRegisterWorkload(opts: WorkloadOptions & { consistencyModels?: string[] }): Workload {
  return {
    name: 'rw-register',
    fs: new Set(['txn']),
    generator: clientOps(txnGenerator({ prefix: opts.keyPrefix ?? 'txn/rw-', write: 'w', activeKeys: opts.keyCount ?? 5 })),
    checkers: [withoutProbes(rwRegisterChecker({ consistencyModels: opts.consistencyModels ?? ['strict-serializable'], budgetMs: opts.checkBudgetMs }))],
  };
}
