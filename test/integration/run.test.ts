import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { parseRunSpec } from '../../harness/cli/run.ts';
import { readHistory } from '../../harness/history/reader.ts';
import { Progress } from '../../harness/progress.ts';
import { processAlive, readPidFile } from '../../harness/process/spawn.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/**
 * Whole runs with real Redis, real layer nodes and a real Toxiproxy: the spine, end to end. Short runs,
 * but long enough for a partition to produce stale reads and for replication to catch up after it.
 */
describe('a real chaos run (integration)', function () {
  this.timeout(180_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-run-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  it('reports the eventual register under partition and kill as not linearizable (a measurement), but convergent (the promise)', async () => {
    // Two keys, so that both sides of an isolation write and read the same key often enough that a read shows the
    // divergence even when a loaded machine reaches only part of the asked rate.
    const spec = parseRunSpec(['--workload', 'register', '--keys', '2', '--time-limit', '16', '--seed', '42', '--nemesis', 'partition-isolate,kill', '--nemesis-interval', '2.5',
      '--store', store, '--name', 'spine', '--rate', '100', '--concurrency', '6']);
    const out = await run(spec, quiet());
    const results = JSON.parse(readFileSync(out.dir.results, 'utf8'));
    assert.equal(results.checkers.linearizable.valid, false, 'LWW under partition must show a non-linearizable read');
    assert.ok(results.checkers.linearizable.counterexample, 'the failing operations are named');
    assert.ok(results.measurements.includes('linearizable'), 'the normal tier never promised linearizability');
    assert.equal(results.checkers.convergence.valid, true, JSON.stringify(results.checkers.convergence).slice(0, 2000));
    assert.ok(results.contract.lines.some((l: { checker: string; kept: unknown }) => l.checker === 'convergence' && l.kept === true));
    assert.equal(results.valid, true, 'every promise of the normal tier was kept');
    assert.equal(out.exitCode, 0);
    assert.ok(existsSync(out.dir.report));
    const html = readFileSync(out.dir.report, 'utf8');
    assert.match(html, /linearizable/);
    const { ops } = await readHistory(out.dir.history);
    const faults = ops.filter((o) => o.process === 'nemesis' && o.type === 'info' && o.meta?.tookEffect);
    assert.ok(faults.some((o) => o.f === 'partition'), 'a partition took effect');
    assert.ok(faults.some((o) => o.f === 'kill'), 'a kill took effect');
    for (const r of readPidFile(join(out.dir.root, 'pids.jsonl'))) assert.equal(processAlive(r.pgid), false, `${r.name} survived the run`);
  });

  it('reports a fault-free run on a single region as linearizable', async () => {
    const spec = parseRunSpec(['--workload', 'register', '--time-limit', '5', '--seed', '7', '--nemesis', 'none', '--regions', 'us-east',
      '--store', store, '--name', 'single', '--settle', '0.5']);
    const out = await run(spec, quiet());
    const results = JSON.parse(readFileSync(out.dir.results, 'utf8'));
    assert.equal(results.checkers.linearizable.valid, true, JSON.stringify(results.checkers.linearizable).slice(0, 2000));
    assert.equal(results.checkers.convergence.valid, true);
    assert.deepEqual({ order: results.input.order, nilRead: results.input.nilRead }, { order: 'lines', nilRead: 'absent' });
    assert.equal(out.exitCode, 0);
  });
});
