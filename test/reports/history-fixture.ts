import type { IndexedOp, Op } from '../../harness/core/op.ts';

/** Numbers ops as the history reader would: index from 0, line from 1. */
export function indexed(ops: readonly Op[]): IndexedOp[] {
  return ops.map((op, index) => ({ ...op, index, line: index + 1 }));
}

const MS = 1e6;

/**
 * A small multi-region run: three processes write/read `x`, a partition isolates us-east from 100 ms to 300 ms,
 * a kill of eu-west fails to take effect, and process 2's read at 200 ms times out.
 */
export function smallRun(): IndexedOp[] {
  return indexed([
    { type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 * MS, region: 'us-east' },
    { type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 2 * MS, region: 'eu-west' },
    { type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 20 * MS, region: 'us-east' },
    { type: 'ok', process: 1, f: 'read', key: 'x', value: 0, time: 25 * MS, region: 'eu-west' },
    { type: 'invoke', process: 'nemesis', f: 'partition', value: { shape: 'isolate', groups: [['us-east'], ['eu-west', 'ap-south']] }, time: 95 * MS },
    { type: 'info', process: 'nemesis', f: 'partition', value: 'isolated us-east', time: 100 * MS, meta: { tookEffect: true } },
    { type: 'invoke', process: 2, f: 'read', key: 'x', value: null, time: 200 * MS, region: 'ap-south' },
    { type: 'invoke', process: 0, f: 'write', key: 'x', value: 2, time: 210 * MS, region: 'us-east' },
    { type: 'fail', process: 0, f: 'write', key: 'x', value: 2, time: 240 * MS, region: 'us-east', error: 'unavailable' },
    { type: 'invoke', process: 'nemesis', f: 'kill', value: 'eu-west', time: 250 * MS },
    { type: 'info', process: 'nemesis', f: 'kill', value: 'eu-west already dead', time: 251 * MS, meta: { tookEffect: false } },
    { type: 'info', process: 2, f: 'read', key: 'x', value: null, time: 290 * MS, region: 'ap-south', error: 'timeout' },
    { type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: 299 * MS },
    { type: 'info', process: 'nemesis', f: 'heal', value: 'healed', time: 300 * MS, meta: { tookEffect: true } },
    { type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 310 * MS, region: 'eu-west' },
    { type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 330 * MS, region: 'eu-west' },
  ]);
}
