import { strict as assert } from 'node:assert';
import type { Op } from '../../harness/core/op.ts';
import { Progress } from '../../harness/progress.ts';

function captured(isTTY: boolean) {
  const out: string[] = [];
  let t = 0;
  const stream = { isTTY, columns: 200, write: (s: string) => { out.push(s); return true; } } as unknown as NodeJS.WriteStream;
  const progress = new Progress(stream, { heartbeatMs: 20, now: () => t });
  return { out, progress, at: (ms: number) => { t = ms; } };
}

const nem = (type: Op['type'], f: string, value: unknown, meta?: Record<string, unknown>): Op => ({ type, process: 'nemesis', f, value, time: 0, ...(meta ? { meta } : {}) });
const client = (type: Op['type'], meta?: Record<string, unknown>): Op => ({ type, process: 0, f: 'read', key: 'k', value: null, time: 0, ...(meta ? { meta } : {}) });

describe('progress', () => {
  const savedCI = process.env.CI;
  beforeEach(() => { delete process.env.CI; });
  after(() => { if (savedCI === undefined) delete process.env.CI; else process.env.CI = savedCI; });

  it('off a TTY: a line per phase change and per fault taking effect, failing or being undone', () => {
    const { out, progress, at } = captured(false);
    progress.setPhase('deploying');
    at(3000);
    progress.setPhase('running', 30);
    progress.event(nem('invoke', 'kill', 'us-east'));
    progress.event(nem('info', 'kill', 'killed us-east', { tookEffect: true }));
    progress.event(nem('invoke', 'pause', 'eu-west'));
    progress.event({ ...nem('info', 'pause', 'eu-west', { tookEffect: false }), error: 'no such process' });
    progress.event(nem('invoke', 'restart', 'us-east'));
    progress.event(nem('info', 'restart', 'restarted us-east', { tookEffect: true }));
    progress.event(client('invoke', { final: true }));
    assert.deepEqual(out, [
      'rift: [0s] deploying\n',
      'rift: [3s] running\n',
      'rift: [3s] fault kill us-east took effect\n',
      'rift: [3s] pause eu-west did not take effect: no such process\n',
      'rift: [3s] restart us-east took effect, undoing kill\n',
      'rift: [3s] final reads\n',
    ]);
  });

  it('off a TTY: a heartbeat with counts and the faults in force', async () => {
    const { out, progress } = captured(false);
    progress.setPhase('running');
    for (const type of ['ok', 'ok', 'fail', 'info'] as const) progress.event(client(type));
    progress.event(client('ok', { probe: true }));
    progress.event(nem('invoke', 'kill', 'us-east'));
    progress.event(nem('info', 'kill', 'killed', { tookEffect: true }));
    progress.start();
    await new Promise((r) => setTimeout(r, 60));
    progress.stop();
    assert.ok(out.includes('rift: [0s] running · 4 ops (1 failed, 1 unknown) · faults in force: kill us-east\n'), out.join(''));
  });

  it('an undo whose completion describes what it did ends the fault it was asked to end', async () => {
    const { out, progress } = captured(false);
    progress.setPhase('running');
    progress.event(nem('invoke', 'latency', { preset: 'wan-fast' }));
    progress.event(nem('info', 'latency', { preset: 'wan-fast' }, { tookEffect: true }));
    progress.event(nem('invoke', 'clock-skew', { offsets: { 'us-east': -900 } }));
    progress.event(nem('info', 'clock-skew', { offsets: { 'us-east': -900 } }, { tookEffect: true }));
    progress.event(nem('invoke', 'clear-latency', null));
    progress.event(nem('info', 'clear-latency', 'cleared latency', { tookEffect: true }));
    progress.start();
    await new Promise((r) => setTimeout(r, 60));
    progress.stop();
    assert.ok(out.includes('rift: [0s] clear-latency took effect, undoing latency\n'), out.join(''));
    assert.ok(out.includes('rift: [0s] running · 0 ops (0 failed, 0 unknown) · faults in force: clock-skew us-east\n'), out.join(''));
  });

  it('on a TTY: no log lines for faults, and an ETA for a phase with an expected length', () => {
    const { out, progress, at } = captured(true);
    progress.setPhase('running', 30);
    at(12_000);
    progress.event(nem('invoke', 'kill', 'us-east'));
    progress.event(nem('info', 'kill', 'killed', { tookEffect: true }));
    progress.setPhase('running');
    progress.setPhase('tearing down');
    assert.ok(out.every((s) => s.startsWith('\r')), 'only status-line redraws');
    assert.match(out[0], /\[0s\] running \(eta 30s\) · 0 ops · fault: none/);
    assert.match(out.at(-1)!, /\[12s\] tearing down · 0 ops · fault: kill us-east/);
  });
});
