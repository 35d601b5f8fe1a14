/**
 * Multi-value register: a read returns every write that no other write has seen (sorted by version),
 * so concurrent writes are all visible and the next write, which has seen them all, replaces them.
 * A delete is a write of "nothing": it shows as absence, and a concurrent put still shows.
 */
import { liveValues, mergeConcurrent, parseConcurrent, singleWrite, type ConcurrentWritesState } from './concurrent-writes.ts';
import { wrongType, type Crdt } from './types.ts';

export const mvRegister: Crdt<ConcurrentWritesState> = {
  strategy: 'mv-register',
  apply(state, op, ctx) {
    if (op.op !== 'put' && op.op !== 'delete') return wrongType('mv-register', op);
    const write = op.op === 'put' ? singleWrite(op.value, false, ctx) : singleWrite(null, true, ctx);
    return { ok: true, state: state ? mergeConcurrent(state, write) : write };
  },
  merge: mergeConcurrent,
  read(s) {
    const live = liveValues(s);
    return { value: live.length === 0 ? null : live };
  },
  conflicted: (s) => s.writes.length > 1,
  parse: parseConcurrent,
};
