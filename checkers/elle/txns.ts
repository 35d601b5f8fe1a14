import type { IndexedOp } from '../../harness/core/op.ts';

export type MopF = 'append' | 'r' | 'w';
export type Key = string | number;
/** One micro-operation, as HISTORY.md writes it: `[f, key, value]`. */
export type Mop = readonly [MopF, Key, unknown];
export type Outcome = 'ok' | 'info' | 'fail';

/** A transaction: an invoke joined with its completion; `id` is dense (0..n-1) so graphs can use typed arrays. */
export interface Txn {
  id: number;
  outcome: Outcome;
  process: number;
  invoke: IndexedOp;
  complete?: IndexedOp;
  /** Positions of the invocation and completion (-1 if none) in the history, copied here for the real-time scan. */
  invokeIndex: number;
  completeIndex: number;
  /** What the checker reasons about: the completion's value for ok, the invocation's otherwise (reads unknown). */
  mops: readonly Mop[];
}

/** Input that breaks Elle's preconditions; the check result is `unknown` and names the line and field. */
export class ElleInputError extends Error {
  constructor(readonly line: number, readonly field: string, readonly detail: string) {
    super(`line ${line}: ${field}: ${detail}`);
    this.name = 'ElleInputError';
  }
}

export type Workload = 'list-append' | 'rw-register';

/** Each workload allows reads and one kind of write. */
const WRITE: Record<Workload, MopF> = { 'list-append': 'append', 'rw-register': 'w' };

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function validateMops(raw: unknown, op: IndexedOp, workload: Workload, completed: boolean): void {
  if (!Array.isArray(raw)) throw new ElleInputError(op.line, 'value', `a txn value must be a list of micro-ops (got ${JSON.stringify(raw)})`);
  const write = WRITE[workload];
  // Valid micro-ops are used as they are: copying 10^6 small arrays would double the checker's garbage.
  for (let i = 0; i < raw.length; i++) {
    const m: unknown = raw[i];
    if (!Array.isArray(m) || m.length !== 3) throw new ElleInputError(op.line, `value[${i}]`, `a micro-op must be [f, key, value] (got ${JSON.stringify(m)})`);
    const f: unknown = m[0], k: unknown = m[1], v: unknown = m[2];
    if (f !== 'r' && f !== write) {
      throw new ElleInputError(op.line, `value[${i}][0]`, `${workload} allows micro-ops ${write}, r (got ${JSON.stringify(f)})`);
    }
    if (!isScalar(k)) throw new ElleInputError(op.line, `value[${i}][1]`, `a key must be a string or a number (got ${JSON.stringify(k)})`);
    if (f === 'r') {
      if (!completed || v === null) continue;
      // A list's elements are checked by the list-append inference, which compares most reads to the longest one
      // element by element anyway; checking them here too would walk every read twice.
      if (workload === 'list-append' ? !Array.isArray(v) : !isScalar(v)) {
        const want = workload === 'list-append' ? 'a list of strings or numbers' : 'a string, a number';
        throw new ElleInputError(op.line, `value[${i}][2]`, `a ${workload} read returns ${want}, or null (got ${JSON.stringify(v)})`);
      }
      continue;
    }
    if (!isScalar(v)) throw new ElleInputError(op.line, `value[${i}][2]`, `a written or appended value must be a string or a number (got ${JSON.stringify(v)})`);
  }
}

/** Throws unless every element of a list-append read is a string or a number. */
export function checkReadElements(list: readonly unknown[], t: Txn, mop: number): void {
  for (let i = 0; i < list.length; i++) {
    if (!isScalar(list[i])) {
      throw new ElleInputError((t.complete ?? t.invoke).line, `value[${mop}][2][${i}]`, `a list-append read returns strings or numbers (got ${JSON.stringify(list[i])})`);
    }
  }
}

/**
 * Pairs the history's `txn` operations into transactions with dense ids, in invocation order.
 * Ops with another `f` (and nemesis events) are not ours and are counted, not read.
 *
 * Pairing follows HISTORY.md as harness/history/pairs.ts does (an invoke joins the next completion of its process;
 * one never completed is info), but builds the transactions in the same single pass: walking 10^5 history objects
 * scattered over the heap costs more than anything done with them, so the check touches each event once.
 */
export function collectTxns(history: readonly IndexedOp[], workload: Workload): { txns: Txn[]; skipped: number } {
  const txns: Txn[] = [];
  // One slot per process, updated in place: deleting from a Map and adding again grows it, for every event.
  const open = new Map<number, { invoke: IndexedOp | undefined; txn: Txn | null }>();
  let skipped = 0;
  for (let i = 0; i < history.length; i++) {
    const op = history[i];
    const p = op.process;
    if (p === 'nemesis') continue;
    let slot = open.get(p);
    if (op.type === 'invoke') {
      if (slot?.invoke) throw new ElleInputError(op.line, 'process', `process ${p} invoked again while its invoke on line ${slot.invoke.line} is still open`);
      if (!slot) open.set(p, (slot = { invoke: undefined, txn: null }));
      slot.invoke = op;
      if (op.f !== 'txn') {
        skipped++;
        slot.txn = null;
        continue;
      }
      const t: Txn = { id: txns.length, outcome: 'info', process: p, invoke: op, complete: undefined, invokeIndex: op.index, completeIndex: -1, mops: op.value as Mop[] };
      txns.push(t);
      slot.txn = t;
      continue;
    }
    if (!slot?.invoke) throw new ElleInputError(op.line, 'process', `completion for process ${p} has no open invoke`);
    const t = slot.txn;
    slot.invoke = undefined;
    slot.txn = null;
    if (t === null) continue;
    t.outcome = op.type;
    t.complete = op;
    t.completeIndex = op.index;
    if (op.type === 'ok') t.mops = op.value as Mop[];
  }
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    const ok = t.outcome === 'ok';
    validateMops(t.mops, ok ? t.complete! : t.invoke, workload, ok);
  }
  return { txns, skipped };
}

/** How results point at a transaction: its lines in the history, its process and what it did. */
export interface TxnRef {
  process: number;
  type: Outcome;
  invokeLine: number;
  line: number;
  index: number;
  value: readonly Mop[];
}

export const txnRef = (t: Txn): TxnRef => ({
  process: t.process,
  type: t.outcome,
  invokeLine: t.invoke.line,
  line: (t.complete ?? t.invoke).line,
  index: (t.complete ?? t.invoke).index,
  value: t.mops,
});
