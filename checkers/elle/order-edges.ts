import { PROCESS, REALTIME, type EdgeList } from './graph.ts';
import type { Txn } from './txns.ts';

/** Session order: each committed transaction precedes the next ok or info transaction of its process. */
export function addProcessEdges(txns: readonly Txn[], edges: EdgeList): void {
  const lastOk = new Map<number, number>();
  // Index loops over transactions here and below: for-of allocates an iterator result per step until optimised.
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.outcome === 'fail') continue;
    const prev = lastOk.get(t.process);
    if (prev !== undefined) edges.add(prev, t.id, PROCESS);
    if (t.outcome === 'ok') lastOk.set(t.process, t.id);
  }
}

/**
 * Real-time order, transitively reduced: T1 precedes T2 when T1's ok completion comes before T2's invocation.
 * A frontier holds the committed transactions not yet known to precede another completed one; each invocation
 * links from the frontier only, which keeps every real-time path (so every cycle) with O(n·p) edges.
 * Info and fail completions never join the frontier: we cannot say when, or whether, they took effect.
 */
export function addRealtimeEdges(txns: readonly Txn[], edges: EdgeList): void {
  // Events in history order without sorting: slot i holds the txn whose invoke (2·id) or completion (2·id+1) is op i.
  let size = 0;
  for (let i = 0; i < txns.length; i++) size = Math.max(size, txns[i].invokeIndex + 1, txns[i].completeIndex + 1);
  const at = new Int32Array(size).fill(-1);
  const invokedAt = new Int32Array(txns.length);
  const completedAt = new Int32Array(txns.length);
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.outcome === 'fail') continue;
    at[t.invokeIndex] = 2 * t.id;
    invokedAt[t.id] = t.invokeIndex;
    if (t.outcome === 'ok') {
      at[t.completeIndex] = 2 * t.id + 1;
      completedAt[t.id] = t.completeIndex;
    }
  }
  // Mutated in place: a member joined at its completion and leaves once it is linked to a completed transaction.
  const frontier: number[] = [];
  for (let i = 0; i < size; i++) {
    const ev = at[i];
    if (ev < 0) continue;
    const id = ev >> 1;
    if ((ev & 1) === 0) {
      for (let j = 0; j < frontier.length; j++) edges.add(frontier[j], id, REALTIME);
      continue;
    }
    // The members that joined before this transaction's invocation were linked to it then; it replaces them.
    const since = invokedAt[id];
    let kept = 0;
    for (let j = 0; j < frontier.length; j++) {
      const f = frontier[j];
      if (completedAt[f] > since) frontier[kept++] = f;
    }
    frontier.length = kept;
    frontier.push(id);
  }
}
