import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { clientOps } from '../harness/generator/basic.ts';
import { linearizableChecker } from '../checkers/linearizable/index.ts';
import { counterPerKey, keyNames, randomKey } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';

/** A cas expects one of this many most recently issued values of its key, so it succeeds often enough to matter. */
const RECENT = 2;

/**
 * Reads, writes and compare-and-set. Every value written (by write or cas) is new for its key, so a stale read
 * cannot hide behind a coincidence (with Jepsen's 0–4 domain, a read of an old value is often also a read of a
 * newer write of the same value); a cas expects one of the last values issued for the key, so many succeed.
 * Judged by linearizability alone; it targets strongly consistent stores.
 */
export function casRegisterWorkload(opts: WorkloadOptions): Workload {
  const keys = keyNames(opts.keyPrefix ?? 'critical/cas-', opts.keyCount ?? 3);
  const nextValue = counterPerKey();
  const readRatio = opts.readRatio ?? 0.4;
  const recent = new Map<string, number[]>();
  const issue = (key: string) => {
    const v = nextValue(key);
    recent.set(key, [...(recent.get(key) ?? []), v].slice(-RECENT));
    return v;
  };
  return {
    name: 'cas-register',
    fs: new Set(['read', 'write', 'cas']),
    generator: clientOps((ctx) => {
      const key = randomKey(ctx, keys);
      const r = ctx.random();
      if (r < readRatio) return { f: 'read', key, value: null };
      const seen = recent.get(key) ?? [];
      // Before its first value a key has nothing to expect: write instead. The rest is half writes, half cas.
      if (r < (1 + readRatio) / 2 || seen.length === 0) return { f: 'write', key, value: issue(key) };
      const expected = seen[Math.floor(ctx.random() * seen.length)];
      return { f: 'cas', key, value: [expected, issue(key)] };
    }),
    checkers: [withoutProbes(linearizableChecker({ model: 'cas-register', budgetMs: opts.checkBudgetMs }))],
  };
}
