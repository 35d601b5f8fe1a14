/**
 * The example's Workload and a Checker of its own: reads and writes of unique values over ten keys, judged by
 * Rift's linearizability checker and by "reads return only written values".
 */
import { linearizableChecker, type Checker, type Generator, type IndexedOp, type WorkloadDefinition } from 'rift';

// Enough keys that after a crash some key is read before it is written again, which exposes a lost write.
const KEYS = Array.from({ length: 10 }, (_, i) => `k${i}`);

/** Each free client process gets the next operation; values per key are 1, 2, 3, … so a read names its write. */
function operations(next: Map<string, number>): Generator {
  const self: Generator = {
    op(ctx) {
      const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number');
      if (process === undefined) return { pending: true, next: self };
      const key = KEYS[Math.floor(ctx.random() * KEYS.length)];
      if (ctx.random() < 0.5) return { op: { process, f: 'read', key, value: null }, next: self };
      const value = (next.get(key) ?? 0) + 1;
      next.set(key, value);
      return { op: { process, f: 'write', key, value }, next: self };
    },
  };
  return self;
}

/** Every ok read returns null (never written) or a value some write of that key asked for. */
/** After the faults are healed and writes stopped: one read of each key, which must see the key's last write. */
function finalReads(keys: readonly string[]): Generator {
  return {
    op(ctx) {
      if (keys.length === 0) return undefined;
      const process = ctx.freeProcesses.find((p): p is number => typeof p === 'number');
      if (process === undefined) return { pending: true, next: finalReads(keys) };
      return { op: { process, f: 'read', key: keys[0], value: null, meta: { final: true } }, next: finalReads(keys.slice(1)) };
    },
  };
}

export const readsOfWrittenValues: Checker = {
  name: 'reads-of-written-values',
  async check(history: readonly IndexedOp[]) {
    const written = new Set(history.filter((o) => o.type === 'invoke' && o.f === 'write').map((o) => `${o.key}=${JSON.stringify(o.value)}`));
    const phantom = history.filter((o) => o.type === 'ok' && o.f === 'read' && o.value !== null && !written.has(`${o.key}=${JSON.stringify(o.value)}`));
    return phantom.length
      ? { valid: false, reason: `${phantom.length} reads returned values never written`, lines: phantom.map((o) => o.line) }
      : { valid: true, reason: 'every read returned a written value or null' };
  },
};

export const kvWorkload: WorkloadDefinition = {
  name: 'kv-register',
  create: (opts) => ({
    name: 'kv-register',
    fs: new Set(['read', 'write']),
    generator: operations(new Map()),
    finalGenerator: finalReads(KEYS),
    checkers: [linearizableChecker({ model: 'register', budgetMs: opts.checkBudgetMs }), readsOfWrittenValues],
  }),
};
