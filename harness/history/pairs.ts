import type { IndexedOp, OpPair } from '../core/op.ts';
import { HistoryFormatError } from './reader.ts';

/**
 * Joins each client invoke with the next completion of the same process (HISTORY.md pairing rules).
 * Nemesis events are skipped. An invoke never completed becomes a pair of type `info`.
 * A second invoke on a busy process, or a completion with no invoke, is malformed input.
 */
export function pairOps(history: readonly IndexedOp[], file = '<history>'): OpPair[] {
  const open = new Map<number, number>();
  const pairs: OpPair[] = [];
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      if (open.has(op.process)) {
        const prev = pairs[open.get(op.process)!].invoke;
        throw new HistoryFormatError(file, op.line, `process ${op.process} invoked again while its invoke on line ${prev.line} is still open`);
      }
      open.set(op.process, pairs.length);
      pairs.push({ invoke: op, type: 'info' });
    } else {
      const at = open.get(op.process);
      if (at === undefined) throw new HistoryFormatError(file, op.line, `completion for process ${op.process} has no open invoke`);
      open.delete(op.process);
      pairs[at].complete = op;
      pairs[at].type = op.type;
    }
  }
  return pairs;
}

/** Nemesis invoke/info pairs, for fault windows. */
export function nemesisPairs(history: readonly IndexedOp[]): { invoke: IndexedOp; complete?: IndexedOp }[] {
  const out: { invoke: IndexedOp; complete?: IndexedOp }[] = [];
  let open: { invoke: IndexedOp; complete?: IndexedOp } | undefined;
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      open = { invoke: op };
      out.push(open);
    } else if (open) {
      open.complete = op;
      open = undefined;
    }
  }
  return out;
}
