/**
 * Riak-style siblings: the same surviving concurrent writes as mv-register, presented as one value a
 * client can use directly (the latest by version) plus the full sibling list whenever there is more
 * than one, so the client can resolve them with its next write.
 */
import { liveValues, mergeConcurrent, parseConcurrent, singleWrite, type ConcurrentWritesState } from './concurrent-writes.ts';
import { wrongType, type Crdt } from './types.ts';

export const siblings: Crdt<ConcurrentWritesState> = {
  strategy: 'siblings',
  apply(state, op, ctx) {
    if (op.op !== 'put' && op.op !== 'delete') return wrongType('siblings', op);
    const write = op.op === 'put' ? singleWrite(op.value, false, ctx) : singleWrite(null, true, ctx);
    return { ok: true, state: state ? mergeConcurrent(state, write) : write };
  },
  merge: mergeConcurrent,
  read(s) {
    const live = liveValues(s);
    if (live.length === 0) return { value: null };
    return live.length === 1 ? { value: live[0] } : { value: live[live.length - 1], siblings: live };
  },
  conflicted: (s) => s.writes.length > 1,
  parse: parseConcurrent,
};
