import type { IndexedOp, Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';

/**
 * n writes of distinct values all concurrent with each other and with a read of a value nobody wrote:
 * the read fits nowhere, and proving it visits every subset of the writes (2^n configurations).
 */
export function pathologicalOps(n: number, key = 'x', firstProcess = 0): Op[] {
  const ops: Op[] = [];
  const reader = firstProcess + n;
  for (let p = 0; p < n; p++) ops.push({ type: 'invoke', process: firstProcess + p, f: 'write', key, value: p, time: 0 });
  ops.push({ type: 'invoke', process: reader, f: 'read', key, value: null, time: 0 });
  for (let p = 0; p < n; p++) ops.push({ type: 'ok', process: firstProcess + p, f: 'write', key, value: p, time: 0 });
  ops.push({ type: 'ok', process: reader, f: 'read', key, value: 999_999, time: 0 });
  return ops;
}

export const pathologicalHistory = (n = 40): IndexedOp[] => indexOps(pathologicalOps(n));
