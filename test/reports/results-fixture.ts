import type { Results } from '../../harness/core/checker.ts';

/** Results in the shapes the checkers produce, blaming lines of `smallRun()`; includes hostile strings on purpose. */
export function richResults(): Results {
  return {
    valid: false,
    checkers: {
      linearizable: {
        valid: false,
        reason: 'key x: the read on line 16 cannot be linearized',
        partitions: { x: { valid: false, ops: 5 } },
        counterexample: {
          key: 'x',
          prefix: [
            { line: 1, op: { process: 0, type: 'invoke', f: 'write', key: 'x', value: 1 }, state: 1 },
            { line: 2, op: 'p1 read x → 0', state: 1 },
          ],
          stuck: { line: 16, op: 'p1 read x → 1' },
          states: [1],
        },
        stats: { elapsedMs: 3 },
      },
      'elle-list-append': {
        valid: false,
        anomalyTypes: ['G-single'],
        anomalies: {
          'G-single': [
            {
              cycle: [
                { line: 3, edge: 'rw', txn: [['append', 'x', 1]] },
                { line: 4, edge: 'wr', txn: [['r', 'x', [1]]] },
              ],
              explanation: 'T1 did not observe T2\'s append of 2 to x, but T2 observed T1\'s append </script><img src=x onerror=alert(1)>',
            },
          ],
        },
        not: ['read-atomic', 'snapshot-isolation'],
        alsoNot: ['serializable'],
      },
      convergence: {
        valid: true,
        keys: { x: { valid: true, regions: { 'us-east': 1, 'eu-west': 1, 'ap-south': 1 } } },
        windows: [{ kind: 'partition', start: 100e6, end: 300e6, convergedAfterMs: 42, bounds: [38, 47], converged: true }],
      },
      'session-guarantees': { valid: 'unknown', reason: 'no meta.version on reads </b>' },
      stats: { valid: true, count: 6, byF: { read: { ok: 2, info: 1 }, write: { ok: 1, fail: 1 } } },
    },
  };
}

export const runJson = {
  name: 'nightly <b>&"\'',
  target: 'local',
  workload: 'register',
  nemesis: ['partition', 'kill'],
  seed: 42,
  regions: ['us-east', 'eu-west', 'ap-south'],
  startedAt: '2026-12-01T02:00:00.000Z',
  durationMs: 330,
  options: { concurrency: 3, note: '</script><script>alert(1)</script>' },
  faults: { partition: { asked: 1, tookEffect: 1, failed: 0 }, kill: { asked: 1, tookEffect: 0, failed: 1 } },
  command: 'rift run --workload register --nemesis partition,kill',
  exitCode: 1,
};
