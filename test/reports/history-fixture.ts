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

/**
 * A long run for size tests: `ops` client operations by 30 threads over 3 regions, one op in 50 timing out (the
 * thread then continues under a fresh process id, as the harness does), and a partition every 10 s.
 */
export function largeRun(ops: number): IndexedOp[] {
  const regions = ['us-east', 'eu-west', 'ap-south'];
  const threads = 30;
  const out: Op[] = [];
  const pid = Array.from({ length: threads }, (_, i) => i);
  let next = threads;
  let seed = 7;
  const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const step = 3 * MS;
  for (let i = 0; i < ops; i++) {
    const t = i % threads;
    const time = Math.floor(i / threads) * step + t * 1000;
    const region = regions[t % 3];
    const f = rand() < 0.5 ? 'read' : 'write';
    const p = pid[t];
    const value = f === 'read' ? null : i;
    out.push({ type: 'invoke', process: p, f, key: `k${i % 7}`, value, time, region });
    const r = rand();
    const type = r < 0.02 ? 'info' : r < 0.05 ? 'fail' : 'ok';
    out.push({ type, process: p, f, key: `k${i % 7}`, value: f === 'read' ? i : value, time: time + Math.floor((0.2 + rand() * 2) * MS), region });
    if (type === 'info') pid[t] = next++;
    if (i % (threads * 3000) === threads * 1000) {
      out.push({ type: 'invoke', process: 'nemesis', f: 'partition', value: { groups: [['us-east'], ['eu-west', 'ap-south']] }, time: time + 1 });
      out.push({ type: 'info', process: 'nemesis', f: 'partition', value: 'isolated us-east', time: time + 2, meta: { tookEffect: true } });
    }
    if (i % (threads * 3000) === threads * 2000) {
      out.push({ type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: time + 1 });
      out.push({ type: 'info', process: 'nemesis', f: 'heal', value: 'healed', time: time + 2, meta: { tookEffect: true } });
    }
  }
  out.sort((a, b) => a.time - b.time);
  return indexed(out);
}

/**
 * One history that breaks three checkers at once: a stale read of register `r` (not linearizable), two concurrent
 * transactions that both read list `l` empty and appended to it (a lost update Elle reports as a cycle), and regions
 * whose final reads of `r` disagree after a partition healed.
 */
export function brokenRun(): IndexedOp[] {
  const ops: Op[] = [
    { type: 'invoke', process: 0, f: 'write', key: 'r', value: 1, time: 1 * MS, region: 'us-east' },
    { type: 'ok', process: 0, f: 'write', key: 'r', value: 1, time: 10 * MS, region: 'us-east' },
    { type: 'invoke', process: 1, f: 'read', key: 'r', value: null, time: 20 * MS, region: 'eu-west' },
    { type: 'ok', process: 1, f: 'read', key: 'r', value: 0, time: 30 * MS, region: 'eu-west' },
    { type: 'invoke', process: 'nemesis', f: 'partition', value: { groups: [['us-east'], ['eu-west']] }, time: 31 * MS },
    { type: 'info', process: 'nemesis', f: 'partition', value: 'isolated us-east', time: 32 * MS, meta: { tookEffect: true } },
    { type: 'invoke', process: 2, f: 'txn', value: [['r', 'l', null], ['append', 'l', 1]], time: 40 * MS, region: 'us-east' },
    { type: 'invoke', process: 3, f: 'txn', value: [['r', 'l', null], ['append', 'l', 2]], time: 41 * MS, region: 'eu-west' },
    { type: 'ok', process: 2, f: 'txn', value: [['r', 'l', []], ['append', 'l', 1]], time: 50 * MS, region: 'us-east' },
    { type: 'ok', process: 3, f: 'txn', value: [['r', 'l', []], ['append', 'l', 2]], time: 51 * MS, region: 'eu-west' },
    { type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: 60 * MS },
    { type: 'info', process: 'nemesis', f: 'heal', value: 'healed', time: 61 * MS, meta: { tookEffect: true } },
    { type: 'invoke', process: 2, f: 'txn', value: [['r', 'l', null]], time: 70 * MS, region: 'us-east' },
    { type: 'ok', process: 2, f: 'txn', value: [['r', 'l', [1, 2]]], time: 80 * MS, region: 'us-east' },
    { type: 'invoke', process: 0, f: 'read', key: 'r', value: null, time: 90 * MS, region: 'us-east', meta: { final: true } },
    { type: 'invoke', process: 1, f: 'read', key: 'r', value: null, time: 91 * MS, region: 'eu-west', meta: { final: true } },
    { type: 'ok', process: 0, f: 'read', key: 'r', value: 1, time: 95 * MS, region: 'us-east', meta: { final: true } },
    { type: 'ok', process: 1, f: 'read', key: 'r', value: 0, time: 96 * MS, region: 'eu-west', meta: { final: true } },
  ];
  return indexed(ops);
}

