/**
 * A last-writer-wins register: it always holds a value (null until written), so it has no delete;
 * writing null is how it is cleared. Ordered by version (HLC, then region), like lww.
 */
import { mergeWinner, parseWinner, winnerConflicted, writeOf, type WinnerState } from './winner.ts';
import { wrongType, type Crdt } from './types.ts';

export const lwwRegister: Crdt<WinnerState> = {
  strategy: 'lww-register',
  apply(state, op, ctx) {
    if (op.op !== 'put') return wrongType('lww-register', op);
    const write = writeOf(op.value, false, ctx);
    return { ok: true, state: state ? mergeWinner(state, write, 'latest') : write };
  },
  merge: (a, b) => mergeWinner(a, b, 'latest'),
  read: (s) => ({ value: s.value }),
  conflicted: winnerConflicted,
  parse(x, where) {
    const s = parseWinner(x, where);
    if (s.deleted) throw new TypeError(`${where}.deleted: an lww-register has no deletes`);
    return s;
  },
};
