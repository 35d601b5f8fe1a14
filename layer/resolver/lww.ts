/**
 * The default strategy: last writer wins by version (HLC, then region), with deletes kept as tombstones
 * so that a delete also wins or loses by version instead of being resurrected by an older put.
 */
import { mergeWinner, parseWinner, winnerConflicted, writeOf, type WinnerState } from './winner.ts';
import { wrongType, type Crdt } from './types.ts';

export const lww: Crdt<WinnerState> = {
  strategy: 'lww',
  apply(state, op, ctx) {
    if (op.op !== 'put' && op.op !== 'delete') return wrongType('lww', op);
    const write = op.op === 'put' ? writeOf(op.value, false, ctx) : writeOf(null, true, ctx);
    return { ok: true, state: state ? mergeWinner(state, write, 'latest') : write };
  },
  merge: (a, b) => mergeWinner(a, b, 'latest'),
  read: (s) => ({ value: s.deleted ? null : s.value }),
  conflicted: winnerConflicted,
  parse: parseWinner,
};
