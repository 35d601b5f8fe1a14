import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { coverageFromHistory, faultWindows } from '../../../reports/html/fault-windows.ts';
import { undoneKinds } from '../../../harness/core/faults.ts';
import { indexed, smallRun } from '../history-fixture.ts';

const MS = 1e6;
const nem = (type: 'invoke' | 'info', f: string, value: unknown, ms: number, meta?: Record<string, unknown>): Op => ({
  type,
  process: 'nemesis',
  f,
  value,
  time: ms * MS,
  ...(meta ? { meta } : {}),
});

describe('reports/html/fault-windows', () => {
  it('opens a window at the info of a fault and closes it at the info of its heal', () => {
    const { windows, failed } = faultWindows(smallRun());
    assert.equal(windows.length, 1);
    const [w] = windows;
    assert.equal(w.kind, 'partition');
    assert.equal(w.label, 'isolated us-east');
    assert.equal(w.askedAt, 95 * MS);
    assert.equal(w.start, 100 * MS);
    assert.equal(w.end, 300 * MS);
    assert.equal(w.closedBy, 'heal');
    assert.equal(w.startLine, 5);
    assert.equal(w.endLine, 14);
    assert.equal(w.target, 'isolate', 'a partition is named by its shape, as in the coverage table');
    assert.deepEqual(failed.map((f) => [f.f, f.target, f.line, f.why]), [['kill', 'eu-west', 10, 'eu-west already dead']]);
  });

  it('closes kill/pause per target and leaves an unhealed fault open', () => {
    const h = indexed([
      nem('invoke', 'kill', 'us-east', 10), nem('info', 'kill', 'killed us-east', 11),
      nem('invoke', 'kill', 'eu-west', 20), nem('info', 'kill', 'killed eu-west', 21),
      nem('invoke', 'restart', 'eu-west', 30), nem('info', 'restart', 'restarted eu-west', 31),
      nem('invoke', 'latency', { region: 'ap-south', ms: 200 }, 40), nem('info', 'latency', '+200ms ap-south', 41),
      nem('invoke', 'clear-latency', { region: 'ap-south' }, 50), nem('info', 'clear-latency', 'cleared', 51),
      nem('invoke', 'pause', 'ap-south', 60), nem('info', 'pause', 'paused', 61),
    ]);
    const { windows } = faultWindows(h);
    const byLabel = Object.fromEntries(windows.map((w) => [w.label, w]));
    assert.equal(byLabel['killed us-east'].end, undefined, 'us-east was never restarted');
    assert.equal(byLabel['killed eu-west'].end, 31 * MS);
    assert.equal(byLabel['+200ms ap-south'].end, 51 * MS);
    assert.equal(byLabel['+200ms ap-south'].target, 'ap-south');
    assert.equal(byLabel['paused'].end, undefined);
  });

  it('treats an errored or never-completed nemesis op as failed, not as a window', () => {
    const h = indexed([
      { ...nem('invoke', 'partition', null, 1) },
      { ...nem('info', 'partition', null, 2), error: 'toxiproxy refused' },
      nem('invoke', 'pause', 'us-east', 5),
    ]);
    const t = faultWindows(h);
    assert.equal(t.windows.length, 0);
    assert.deepEqual(t.failed.map((f) => f.why), ['toxiproxy refused', 'no completion recorded (the run ended first)']);
    assert.deepEqual(coverageFromHistory(t), {
      partition: { asked: 1, tookEffect: 0, failed: 1 },
      pause: { asked: 1, tookEffect: 0, failed: 1 },
    });
  });

  it('knows which kinds an undo closes', () => {
    assert.deepEqual(undoneKinds('heal', null), ['partition']);
    assert.deepEqual(undoneKinds('clear-clock-skew', null), ['clock-skew']);
    assert.deepEqual(undoneKinds('heal-all', null), ['*']);
    assert.deepEqual(undoneKinds('partition', null), []);
  });
});
