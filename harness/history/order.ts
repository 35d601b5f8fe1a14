import type { IndexedOp } from '../core/op.ts';
import { HistoryFormatError } from './format-error.ts';

/**
 * Which real-time order checkers see (HISTORY.md "Order, nil reads and too little data"). `lines`: an op precedes
 * another iff its completion line comes before the other's invoke line. `time`: `[invoke time, completion time]` is
 * a closed interval, as in Porcupine, so a completion and an invoke at the same time overlap.
 */
export type RealTimeOrder = 'lines' | 'time';

/** How many lines a warning names before it only counts. */
const NAMED = 5;

/**
 * One warning naming the lines whose time is earlier than that of a line before them, or none when times never run
 * backwards. Checkers order ops by `index`, so such times are otherwise silently ignored (lines) or reorder (time).
 */
export function timeOrderWarning(ops: readonly IndexedOp[], file: string, order: RealTimeOrder): string | undefined {
  const found: string[] = [];
  let count = 0;
  let latest = -Infinity;
  let latestLine = 0;
  for (const op of ops) {
    if (op.time < latest) {
      if (count++ < NAMED) found.push(`${op.line} (time ${op.time} after ${latest} on line ${latestLine})`);
    } else {
      latest = op.time;
      latestLine = op.line;
    }
  }
  if (count === 0) return undefined;
  const more = count > NAMED ? `, and ${count - NAMED} more` : '';
  const how = order === 'lines' ? 'checked in line order (--order time would follow the times)' : 'checked in time order (--order time)';
  return `${file}: times run backwards at line ${found.join(', line ')}${more}; ${how}`;
}

/**
 * Re-ranks `index` by time for `--order time`; the array (and so pairing, which follows each process's lines) is left
 * as it is. At equal times invokes rank before completions, which makes intervals closed: an invoke at the time
 * another op completes overlaps it. A completion earlier than its own invoke is bad input.
 */
export function rankByTime(ops: IndexedOp[], file: string): void {
  const openInvoke = new Map<IndexedOp['process'], IndexedOp>();
  for (const op of ops) {
    if (op.type === 'invoke') {
      openInvoke.set(op.process, op);
      continue;
    }
    const inv = openInvoke.get(op.process);
    openInvoke.delete(op.process);
    if (inv !== undefined && op.time < inv.time) {
      throw new HistoryFormatError(file, op.line, `field "time": completes at ${op.time}, before its invoke on line ${inv.line} at ${inv.time}; --order time cannot place it`);
    }
  }
  const byTime = [...ops].sort((a, b) => a.time - b.time || (a.type === 'invoke' ? 0 : 1) - (b.type === 'invoke' ? 0 : 1) || a.index - b.index);
  byTime.forEach((op, rank) => {
    op.index = rank;
  });
}
