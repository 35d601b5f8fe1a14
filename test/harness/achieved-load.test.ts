import { strict as assert } from 'node:assert';
import { achievedLoad } from '../../harness/check-run.ts';
import type { Op } from '../../harness/core/op.ts';
import { runDetails } from '../../reports/html/run-details.ts';
import { runMeta } from '../../reports/run-meta.ts';

describe('achieved load', () => {
  it('counts the main phase\'s client invocations per second, not final reads, probes or faults', () => {
    const ops: Op[] = [
      ...Array.from({ length: 30 }, (_, i): Op => ({ type: 'invoke', process: i, f: 'read', key: 'k', value: null, time: i })),
      { type: 'invoke', process: 99, f: 'read', key: 'k', value: null, time: 40, meta: { final: true } },
      { type: 'invoke', process: 1_000_000, f: 'digest', value: null, time: 41, meta: { probe: true } },
      { type: 'invoke', process: 'nemesis', f: 'kill', value: 'a', time: 42 },
    ];
    assert.deepEqual(achievedLoad(ops, { rate: 150, timeLimitS: 10, concurrency: 12 }), { askedRate: 150, achievedRate: 3, concurrency: 12 });
  });

  it('the report\'s run details say the asked and achieved rate, and warn when short', () => {
    const html = runDetails(runMeta({ name: 'r', load: { askedRate: 150, achievedRate: 52.5, concurrency: 12 } }));
    assert.match(html, /<p class="warn">Load: asked 150 client operations\/s, achieved 52\.5 with 12 clients \(below the asked rate/);
    assert.doesNotMatch(runDetails(runMeta({ name: 'r', load: { askedRate: 60, achievedRate: 59 } })), /warn/);
  });
});
