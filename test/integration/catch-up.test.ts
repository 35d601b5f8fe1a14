import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { parseRunSpec } from '../../harness/cli/run.ts';
import { Progress } from '../../harness/progress.ts';
import { readHistory } from '../../harness/history/reader.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/**
 * A region killed late in the run restarts only during the final heal, behind its peers. Final reads wait until it
 * has applied every write, so nothing it simply had not applied yet is reported as an acknowledged write lost
 * (issue 8: 110 "lost" adds that were all in that region's Redis afterwards).
 */
describe('final reads after catch-up (integration)', function () {
  this.timeout(120_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-catchup-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  it('a late-restarted region catches up before final reads: no false lost adds', async () => {
    const out = await run(parseRunSpec(['--workload', 'set', '--nemesis', 'kill', '--time-limit', '12', '--nemesis-interval', '3',
      '--settle', '0', '--seed', '3', '--store', store, '--name', 'late-restart']), quiet());
    const { ops } = await readHistory(out.dir.history);
    const results = JSON.parse(readFileSync(out.dir.results, 'utf8'));
    // The scenario happened: a region was restarted in the final heal, after the main phase.
    const firstFinal = ops.find((o) => o.meta?.final === true)!;
    const catchUps = ops.filter((o) => o.meta?.catchUp !== undefined && o.type !== 'invoke');
    assert.ok(catchUps.length >= 3, 'every region\'s digest was read before final reads');
    assert.ok(catchUps.every((o) => o.index < firstFinal.index), 'final reads start after catch-up');
    const restarts = ops.filter((o) => o.process === 'nemesis' && o.f === 'restart' && o.type === 'info' && o.meta?.tookEffect);
    const mainEnd = ops.filter((o) => o.process !== 'nemesis' && o.type === 'invoke' && !o.meta?.probe && !o.meta?.final && !o.meta?.catchUp).at(-1)!;
    const late = restarts.find((r) => r.index > mainEnd.index);
    assert.ok(late, `a region restarted only in the final heal: ${JSON.stringify(restarts.map((r) => r.value))}`);
    const region = String(late.value).replace('restarted ', '');
    // Catch-up had to wait for it: its first digest read did not answer (still restarting) or lacked entries.
    const first = catchUps.find((o) => o.region === region)!;
    const applied = (o: typeof first) => (o.value as { applied: Record<string, number> }).applied;
    const others = catchUps.filter((o) => o.region !== region && o.type === 'ok' && o.index < first.index);
    const lacked = first.type === 'ok' && others.some((o) => Object.entries(applied(o)).some(([origin, n]) => (applied(first)[origin] ?? 0) < n));
    assert.ok(first.type !== 'ok' || lacked, `the late region was behind when catch-up began: ${JSON.stringify(first)}`);
    const lastOfLate = catchUps.filter((o) => o.region === region).at(-1)!;
    assert.equal(lastOfLate.type, 'ok', 'and answered, caught up, before final reads');
    // No lost write is reported that is present in every region after catch-up; the regions agree.
    assert.equal(results.checkers.set.counts.lost, 0, JSON.stringify(results.checkers.set.lost).slice(0, 2000));
    assert.equal(results.checkers.convergence.valid, true, JSON.stringify(results.checkers.convergence).slice(0, 2000));
    assert.equal(results.checkers.convergence.catchUp.converged, true);
    assert.equal(results.valid, true);
  });
});
