/**
 * Write-once keys: a region refuses a write to a key it already holds, and when regions accepted
 * different first writes concurrently, the earliest by version is kept everywhere and the state is
 * flagged as conflicted (the later writes are the ones that should have been refused).
 */
import { versionToken } from '../clock/version.ts';
import { mergeWinner, parseWinner, winnerConflicted, writeOf, type WinnerState } from './winner.ts';
import { rejected, wrongType, type Crdt } from './types.ts';

export const reject: Crdt<WinnerState> = {
  strategy: 'reject',
  apply(state, op, ctx) {
    if (op.op !== 'put') return wrongType('reject', op);
    if (state) return rejected(`write-once key already holds a value (version ${versionToken(state.version)})`);
    return { ok: true, state: writeOf(op.value, false, ctx) };
  },
  merge: (a, b) => mergeWinner(a, b, 'earliest'),
  read: (s) => ({ value: s.value, version: s.version }),
  conflicted: winnerConflicted,
  parse(x, where) {
    const s = parseWinner(x, where);
    if (s.deleted) throw new TypeError(`${where}.deleted: a write-once key has no deletes`);
    return s;
  },
};
