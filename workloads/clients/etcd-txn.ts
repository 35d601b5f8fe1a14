/**
 * Elle's transactions (`append`, `r`, `w` micro-ops) over etcd, optimistically: one etcd txn reads every key the
 * transaction touches at one revision; the micro-ops run against that snapshot (a read sees the transaction's own
 * earlier writes); then a second etcd txn writes the new values only if no key's mod_revision moved since. A
 * transaction that only reads needs just the first txn. Pure: the client (etcd.ts) does the requests.
 */

export type MicroOp = [f: 'append' | 'r' | 'w', key: string, value: unknown];

/** A key as the snapshot saw it: its value (null when absent) and mod_revision (0 when absent). */
export interface Snapshot {
  value: unknown;
  modRevision: string;
}

/** The transaction's micro-ops, or what is wrong with them. */
export function parseMicroOps(value: unknown): MicroOp[] | string {
  if (!Array.isArray(value) || value.length === 0) return `etcd txn needs a non-empty list of micro-ops, got ${JSON.stringify(value)}`;
  for (const [i, m] of value.entries()) {
    if (!Array.isArray(m) || m.length !== 3) return `etcd txn: micro-op ${i} must be [f, key, value], got ${JSON.stringify(m)}`;
    const [f, key] = m as unknown[];
    if (f !== 'append' && f !== 'r' && f !== 'w') return `etcd txn: micro-op ${i} has f ${JSON.stringify(f)}; it must be "append", "r" or "w"`;
    if (typeof key !== 'string' || key === '') return `etcd txn: micro-op ${i} needs a non-empty string key, got ${JSON.stringify(key)}`;
  }
  return value as MicroOp[];
}

/** Every key the transaction reads or writes, in first-use order. */
export const txnKeys = (ops: readonly MicroOp[]): string[] => [...new Set(ops.map((m) => m[1]))];

export interface Applied {
  /** The micro-ops with reads filled in, as the completion reports them. */
  done: MicroOp[];
  /** The new value of every written key. */
  writes: Map<string, unknown>;
}

/** Runs the micro-ops against the snapshot, or says why one cannot run (an append to a value that is not a list). */
export function applyMicroOps(ops: readonly MicroOp[], snapshot: ReadonlyMap<string, Snapshot>): Applied | string {
  const values = new Map<string, unknown>([...snapshot].map(([k, s]) => [k, s.value]));
  const writes = new Map<string, unknown>();
  const done: MicroOp[] = [];
  for (const [f, key, value] of ops) {
    const current = values.get(key) ?? null;
    if (f === 'r') {
      done.push(['r', key, current]);
      continue;
    }
    let next = value;
    if (f === 'append') {
      if (current !== null && !Array.isArray(current)) return `etcd txn: append to ${JSON.stringify(key)}, which holds a non-list value`;
      next = [...((current as unknown[] | null) ?? []), value];
    }
    values.set(key, next);
    writes.set(key, next);
    done.push([f, key, value]);
  }
  return { done, writes };
}
