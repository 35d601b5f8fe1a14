import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { faultCoverage } from '../../../harness/core/faults.ts';

let t = 0;
const inv = (f: string, value: unknown): Op => ({ type: 'invoke', process: 'nemesis', f, value, time: t++ });
const info = (f: string, took: boolean): Op => ({ type: 'info', process: 'nemesis', f, value: 'x', time: t++, meta: { tookEffect: took } });
const client = (type: 'invoke' | 'ok'): Op => ({ type, process: 0, f: 'read', key: 'k', value: null, time: t++ });

describe('core/faults: coverage', () => {
  it('counts asked, took effect and failed per kind and target, ignoring client ops', () => {
    const part = { shape: 'isolate', groups: [['a'], ['b', 'c']], mode: 'black-hole' };
    const history: Op[] = [
      inv('partition', part), client('invoke'), info('partition', true), client('ok'),
      inv('heal', null), info('heal', true),
      inv('kill', 'a'), info('kill', true),
      inv('kill', 'a'), info('kill', false),
      inv('kill', 'b'), info('kill', true),
      inv('clock-skew', { offsets: { c: 10, a: -5 } }), info('clock-skew', true),
      inv('latency', { preset: 'wan' }),
    ];
    assert.deepEqual(faultCoverage(history), [
      { kind: 'clock-skew', target: 'a,c', asked: 1, tookEffect: 1, failed: 0 },
      { kind: 'heal', asked: 1, tookEffect: 1, failed: 0 },
      { kind: 'kill', target: 'a', asked: 2, tookEffect: 1, failed: 1 },
      { kind: 'kill', target: 'b', asked: 1, tookEffect: 1, failed: 0 },
      { kind: 'latency', target: 'wan', asked: 1, tookEffect: 0, failed: 1 },
      { kind: 'partition', target: 'isolate black-hole', asked: 1, tookEffect: 1, failed: 0 },
    ]);
  });

  it('an info without meta.tookEffect does not count as effect', () => {
    const h: Op[] = [inv('pause', 'a'), { type: 'info', process: 'nemesis', f: 'pause', value: null, time: t++ }];
    assert.deepEqual(faultCoverage(h), [{ kind: 'pause', target: 'a', asked: 1, tookEffect: 0, failed: 1 }]);
  });

  it('is empty for a fault-free history', () => {
    assert.deepEqual(faultCoverage([client('invoke'), client('ok')]), []);
  });
});
