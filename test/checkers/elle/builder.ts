import type { Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';
import type { IndexedOp } from '../../../harness/core/op.ts';

export type M = [string, string | number, unknown];

/** A read's invocation carries null; everything else is known when the transaction starts. */
const asInvoked = (mops: readonly M[]): M[] => mops.map(([f, k, v]) => (f === 'r' ? ['r', k, null] : [f, k, v]));

/**
 * Writes txn histories by hand, in the order events happen; time advances by 1 ms per event.
 * `ok` takes the completed micro-ops (with read results); the invocation is derived from them.
 */
export class TxnHistory {
  private ops: Op[] = [];
  private open = new Map<number, M[]>();
  private time = 0;

  invoke(process: number, mops: M[]): this {
    this.open.set(process, mops);
    this.ops.push({ type: 'invoke', process, f: 'txn', value: asInvoked(mops), time: (this.time += 1e6) });
    return this;
  }

  ok(process: number): this {
    return this.complete(process, 'ok');
  }

  fail(process: number): this {
    return this.complete(process, 'fail');
  }

  info(process: number): this {
    return this.complete(process, 'info');
  }

  /** A transaction that completes before anything else happens. */
  txn(process: number, mops: M[], type: 'ok' | 'fail' | 'info' = 'ok'): this {
    return this.invoke(process, mops).complete(process, type);
  }

  private complete(process: number, type: 'ok' | 'fail' | 'info'): this {
    const mops = this.open.get(process);
    if (!mops) throw new Error(`process ${process} has no open txn`);
    this.open.delete(process);
    this.ops.push({ type, process, f: 'txn', value: type === 'ok' ? mops : asInvoked(mops), time: (this.time += 1e6) });
    return this;
  }

  build(): IndexedOp[] {
    return indexOps(this.ops);
  }
}
