import { PROCESS, REALTIME, type EdgeList } from './graph.ts';
import type { Txn } from './txns.ts';

/** Session order: each committed transaction precedes the next ok or info transaction of its process. */
export function addProcessEdges(txns: readonly Txn[], edges: EdgeList): void {
  const lastOk = new Map<number, number>();
  for (const t of txns) {
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
  type Ev = { at: number; txn: Txn; invoke: boolean };
  const events: Ev[] = [];
  for (const t of txns) {
    if (t.outcome === 'fail') continue;
    events.push({ at: t.invoke.index, txn: t, invoke: true });
    if (t.outcome === 'ok') events.push({ at: t.complete!.index, txn: t, invoke: false });
  }
  events.sort((a, b) => a.at - b.at);
  let frontier: number[] = [];
  const linkedAtInvoke = new Map<number, number[]>();
  for (const ev of events) {
    const id = ev.txn.id;
    if (ev.invoke) {
      for (const f of frontier) edges.add(f, id, REALTIME);
      if (ev.txn.outcome === 'ok') linkedAtInvoke.set(id, frontier);
    } else {
      const preds = linkedAtInvoke.get(id)!;
      linkedAtInvoke.delete(id);
      frontier = preds.length === 0 ? [...frontier, id] : frontier.filter((f) => !preds.includes(f)).concat(id);
    }
  }
}
