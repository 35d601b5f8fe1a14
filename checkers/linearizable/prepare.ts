import type { IndexedOp } from '../../harness/core/op.ts';
import { pairOps } from '../../harness/history/pairs.ts';
import { HistoryFormatError } from '../../harness/history/reader.ts';
import type { LinearizableModel } from './model.ts';
import type { SearchOp } from './search-op.ts';

/** Name of the partition holding ops that carry no `key`. */
export const UNKEYED = '(no key)';
/** Name of the single partition of a model that must see every key at once. */
export const ALL_KEYS = '(all keys)';

export interface Partition {
  key: string;
  ops: SearchOp[];
}

export interface Prepared {
  partitions: Partition[];
  /** Client operations in the history, and how many were dropped because they certainly did not happen. */
  total: number;
  failed: number;
  /** Ok reads of null dropped under `nilRead: 'any'` (they match every state, so they constrain nothing). */
  nilReads: number;
}

/**
 * What an ok read of null means: `absent` (Rift JSONL: the key holds nothing) or `any` (Jepsen EDN, as in Knossos:
 * the read matches any state). HISTORY.md "Order, nil reads and too little data".
 */
export type NilRead = 'any' | 'absent';

/**
 * Pairs a Rift history and turns each operation into a SearchOp, split per key when the model allows.
 * `fail` ops are dropped (they did not happen); `info` and unfinished ops get an unknown output and no return.
 * Under `nilRead: 'any'` an ok read of null is dropped too, as Knossos does: it matches any state.
 * Real-time order is the event index: one recorder wrote the file, so it is exact.
 */
export function prepareHistory(history: readonly IndexedOp[], model: LinearizableModel<unknown>, file = '<history>', nilRead: NilRead = 'absent'): Prepared {
  const byKey = new Map<string, SearchOp[]>();
  let total = 0;
  let failed = 0;
  let nilReads = 0;
  for (const pair of pairOps(history, file)) {
    total++;
    if (pair.type === 'fail') {
      failed++;
      continue;
    }
    const inv = pair.invoke;
    const input = inv.key === undefined ? { f: inv.f, value: inv.value } : { f: inv.f, key: inv.key, value: inv.value };
    const known = pair.type === 'ok';
    const output = known ? pair.complete!.value : undefined;
    const problem = model.checkOp?.(input, output);
    if (problem) {
      const where = pair.complete ? `, completed on line ${pair.complete.line}` : '';
      throw new HistoryFormatError(file, inv.line, `${problem} (op invoked here${where}; model ${model.name})`);
    }
    if (known && output === null && nilRead === 'any' && model.isReadOnly?.(input)) {
      nilReads++;
      continue;
    }
    const op: SearchOp = {
      line: inv.line,
      call: inv.index,
      ret: known ? pair.complete!.index : Infinity,
      input,
      output: known ? output : null,
      unknown: !known,
    };
    if (pair.complete) op.completeLine = pair.complete.line;
    const key = model.partitionByKey === false ? ALL_KEYS : (inv.key ?? UNKEYED);
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(op);
  }
  return { partitions: [...byKey].map(([key, ops]) => ({ key, ops: model.pruneUnknown?.(ops) ?? ops })), total, failed, nilReads };
}
