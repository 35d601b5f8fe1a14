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

/** Writers are packed as txn * MOP_SPAN + micro-op index: one number per element instead of an object. */
export const MOP_SPAN = 2 ** 21;
export const packWriter = (txn: number, mop: number): number => txn * MOP_SPAN + mop;
export const writerTxn = (w: number): number => Math.floor(w / MOP_SPAN);
export const writerMop = (w: number): number => w % MOP_SPAN;
