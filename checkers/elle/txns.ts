import type { IndexedOp } from '../../harness/core/op.ts';
import { pairOps } from '../../harness/history/pairs.ts';
import { HistoryFormatError } from '../../harness/history/reader.ts';

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

const ALLOWED: Record<Workload, ReadonlySet<string>> = {
  'list-append': new Set(['append', 'r']),
  'rw-register': new Set(['w', 'r']),
};

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function validateMops(raw: unknown, op: IndexedOp, workload: Workload, completed: boolean): Mop[] {
  if (!Array.isArray(raw)) throw new ElleInputError(op.line, 'value', `a txn value must be a list of micro-ops (got ${JSON.stringify(raw)})`);
  const allowed = ALLOWED[workload];
  // Valid micro-ops are used as they are: copying 10^6 small arrays would double the checker's garbage.
  for (let i = 0; i < raw.length; i++) {
    const m: unknown = raw[i];
    if (!Array.isArray(m) || m.length !== 3) throw new ElleInputError(op.line, `value[${i}]`, `a micro-op must be [f, key, value] (got ${JSON.stringify(m)})`);
    const f: unknown = m[0], k: unknown = m[1], v: unknown = m[2];
    if (typeof f !== 'string' || !allowed.has(f)) {
      throw new ElleInputError(op.line, `value[${i}][0]`, `${workload} allows micro-ops ${[...allowed].join(', ')} (got ${JSON.stringify(f)})`);
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
  return raw as Mop[];
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
 */
export function collectTxns(history: readonly IndexedOp[], workload: Workload): { txns: Txn[]; skipped: number } {
  let pairs;
  try {
    pairs = pairOps(history);
  } catch (e) {
    if (e instanceof HistoryFormatError) throw new ElleInputError(e.line, 'process', e.detail);
    throw e;
  }
  const txns: Txn[] = [];
  let skipped = 0;
  for (const p of pairs) {
    if (p.invoke.f !== 'txn') {
      skipped++;
      continue;
    }
    const outcome = p.type;
    const ok = outcome === 'ok';
    const source = ok ? p.complete! : p.invoke;
    const mops = validateMops(source.value, source, workload, ok);
    txns.push({
      id: txns.length, outcome, process: p.invoke.process as number, invoke: p.invoke, complete: p.complete,
      invokeIndex: p.invoke.index, completeIndex: p.complete ? p.complete.index : -1, mops,
    });
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
