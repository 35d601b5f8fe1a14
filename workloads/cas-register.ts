import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { linearizableChecker } from '../checkers/linearizable/index.ts';
import { keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';

/**
 * Reads, writes and compare-and-set over a small value domain (0–4), as in Jepsen's etcd tests: small values
 * make cas succeed often enough to matter. Judged by linearizability alone; it targets strongly consistent stores.
 * Unique values were tried (a stale read could then not hide behind a coincidence), but every indeterminate write
 * of a value nobody read then makes its own search state, and runs with kills exhausted the checker's memory
 * cap (unknown); the `register` workload is the one with unique values.
 */
export function casRegisterWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'critical/cas-', opts.keyCount ?? 3);
  return {
    name: 'cas-register',
    fs: new Set(['read', 'write', 'cas']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      const r = ctx.random();
      const v = () => Math.floor(ctx.random() * 5);
      if (r < 0.4) return { f: 'read', key, value: null };
      if (r < 0.7) return { f: 'write', key, value: v() };
      return { f: 'cas', key, value: [v(), v()] };
    }),
    checkers: [withoutProbes(linearizableChecker({ model: 'cas-register', budgetMs: opts.checkBudgetMs }))],
  };
}
