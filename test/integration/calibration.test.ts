import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { parseRunSpec } from '../../harness/cli/run.ts';
import { Progress } from '../../harness/progress.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/**
 * Calibration: each of the layer's bug switches must be caught by a bounded run of some workload and nemesis,
 * and the very same run without the switch must pass. A harness that cannot tell these apart certifies nothing.
 */
const TABLE: { bug: string; args: string[]; catches: string; why: string }[] = [
  {
    bug: 'skip-version-check',
    args: ['--workload', 'set', '--nemesis', 'none', '--regions', 'us-east', '--concurrency', '10', '--rate', '200', '--key-prefix', 'set/cal-'],
    catches: 'set',
    why: 'concurrent adds in one region overwrite each other: acknowledged elements are lost',
  },
  {
    bug: 'ack-before-write',
    args: ['--workload', 'set', '--nemesis', 'kill', '--nemesis-interval', '2', '--rate', '150'],
    catches: 'set',
    why: 'a killed region loses adds it acknowledged but had not written',
  },
  {
    bug: 'wall-clock-lww',
    args: ['--workload', 'register', '--nemesis', 'clock-skew', '--nemesis-interval', '1.5', '--regions', 'us-east', '--rate', '100'],
    catches: 'linearizable',
    why: 'after the clock is set back, newer writes lose to older ones: reads go back in time',
  },
  {
    bug: 'drop-batch-on-retry',
    args: ['--workload', 'set', '--keys', '40', '--nemesis', 'partition', '--nemesis-interval', '2', '--rate', '100'],
    catches: 'convergence',
    why: 'batches that failed during a partition are never resent: keys not written again stay behind for good',
  },
  {
    bug: 'stale-critical-reads',
    args: ['--workload', 'register', '--key-prefix', 'critical/cal-', '--nemesis', 'partition', '--nemesis-interval', '2', '--rate', '60'],
    catches: 'linearizable',
    why: 'critical reads served from the local acceptor miss writes decided by the majority',
  },
  {
    bug: 'counter-merge-sum',
    args: ['--workload', 'counter', '--nemesis', 'partition', '--nemesis-interval', '2'],
    catches: 'counter',
    why: 'merging adds per-region totals instead of taking the max: replicated increments are counted again',
  },
  {
    bug: 'or-set-remove-wins',
    args: ['--workload', 'or-set', '--nemesis', 'partition', '--nemesis-interval', '2'],
    catches: 'or-set',
    why: 'a remove erases a concurrent add it never saw: an element with an uncovered add is missing',
  },
  {
    bug: 'mv-register-drops-sibling',
    args: ['--workload', 'mv-register', '--nemesis', 'partition', '--nemesis-interval', '1.5'],
    catches: 'mv-register',
    why: 'of two concurrent writes only the later survives a merge: a sibling is lost after a partition heals',
  },
  {
    bug: 'tie-break-local',
    args: ['--workload', 'lww-register', '--regions', 'us-east,eu-west', '--nemesis', 'clock-tie', '--nemesis-interval', '1', '--keys', '1', '--rate', '200', '--concurrency', '12'],
    catches: 'register-versions',
    why: 'writes with equal timestamps are won by whichever region holds them: a region shows a value that lost by version',
  },
  {
    bug: 'session-read-no-wait',
    args: ['--workload', 'session', '--nemesis', 'partition', '--nemesis-interval', '2'],
    catches: 'session-guarantees',
    why: 'a region serves a read before it has what the session saw: read-your-writes and monotonic reads break',
  },
  {
    bug: 'session-write-no-wait',
    args: ['--workload', 'session', '--nemesis', 'partition,clock-skew', '--nemesis-interval', '1.5'],
    catches: 'session-guarantees',
    why: 'a region takes a write before it has what the session saw: its version or its visibility falls behind (monotonic writes)',
  },
];

describe('bug-switch calibration (integration)', function () {
  this.timeout(240_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-cal-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  const verdicts = async (args: string[], name: string) => {
    // Defaults first, so that a row may give its own time limit.
    const spec = parseRunSpec(['--time-limit', '12', '--seed', '3', '--settle', '2', ...args, '--store', store, '--name', name]);
    const out = await run(spec, quiet());
    return JSON.parse(readFileSync(out.dir.results, 'utf8')) as { valid: unknown; checkers: Record<string, { valid: unknown; reason?: string }> };
  };

  for (const row of TABLE) {
    it(`catches ${row.bug} with ${row.catches} (${row.why}), and passes without it`, async () => {
      const withBug = await verdicts([...row.args, '--bugs', row.bug], `${row.bug}-on`);
      assert.equal(withBug.checkers[row.catches]?.valid, false, `${row.catches} missed ${row.bug}: ${JSON.stringify(withBug.checkers[row.catches]).slice(0, 1500)}`);
      const clean = await verdicts(row.args, `${row.bug}-off`);
      assert.equal(clean.valid, true, `the same run without ${row.bug} must pass: ${JSON.stringify(clean.checkers).slice(0, 3000)}`);
    });
  }
});
