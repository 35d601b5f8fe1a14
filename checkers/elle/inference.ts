import type { EdgeList } from './graph.ts';
import type { Key, Txn } from './txns.ts';

/** Why one transaction precedes another through data: what a cycle explanation shows for a ww, wr or rw step. */
export interface DataReason {
  key: Key;
  /** The element or version the step is about. */
  value: unknown;
  /** Index of the micro-op in the earlier transaction, and in the later one, that justify the edge. */
  aMop: number;
  bMop: number;
  /** One sentence, given the names the explanation bound to the two transactions. */
  text(a: string, b: string): string;
}

/** What a workload's inference hands to the shared pipeline: data edges, non-cycle anomalies, and an explainer. */
export interface Inference {
  edges: EdgeList;
  anomalies: Map<string, unknown[]>;
  /** Re-derives the justification of a data edge on demand, so edges need not carry it (there are millions). */
  explain(a: Txn, b: Txn, rel: number): DataReason | undefined;
}

export const fmt = (x: unknown): string => (typeof x === 'string' ? x : JSON.stringify(x));

export function pushAnomaly(anomalies: Map<string, unknown[]>, type: string, a: unknown): void {
  const list = anomalies.get(type);
  if (list) list.push(a);
  else anomalies.set(type, [a]);
}

/**
 * Where `t` wrote `value` to `key` with micro-op `f`. Writer maps hold only transaction ids (small integers stay
 * unboxed in a Map; a packed txn-and-index number would be a heap double per element), so the index is looked up
 * in the few places that report it.
 */
export function mopOf(t: Txn, f: 'append' | 'w', key: Key, value: unknown): number {
  const mops = t.mops;
  for (let i = 0; i < mops.length; i++) if (mops[i][0] === f && mops[i][1] === key && mops[i][2] === value) return i;
  throw new Error(`internal error: transaction on line ${(t.complete ?? t.invoke).line} has no ${f} of ${fmt(value)} to key ${fmt(key)}`);
}
