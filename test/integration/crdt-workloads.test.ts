import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { parseRunSpec } from '../../harness/cli/run.ts';
import { readHistory } from '../../harness/history/reader.ts';
import { Progress } from '../../harness/progress.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/**
 * The workloads that reach the layer's CRDTs and last-writer-wins registers, each in a short run against the real
 * layer (local target): the correct layer must pass every checker, and the checkers must have judged something.
 */
describe('CRDT and register workloads on the correct layer (integration)', function () {
  this.timeout(180_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-crdt-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  const runOf = async (name: string, args: string[], timeLimitS = 6) => {
    const spec = parseRunSpec([...args, '--time-limit', String(timeLimitS), '--seed', '5', '--settle', '1', '--store', store, '--name', name]);
    const out = await run(spec, quiet());
    const results = JSON.parse(readFileSync(out.dir.results, 'utf8')) as { valid: unknown; checkers: Record<string, Record<string, any>> };
    assert.equal(results.valid, true, JSON.stringify(results.checkers).slice(0, 3000));
    assert.equal(out.exitCode, 0);
    return { results, out };
  };

  it('or-set: adds and removes under partitions keep add-wins, with metadata on every write', async () => {
    const { results, out } = await runOf('or-set', ['--workload', 'or-set', '--nemesis', 'partition', '--nemesis-interval', '1.5']);
    assert.ok(results.checkers['or-set'].counts.judged > 0);
    const { ops } = await readHistory(out.dir.history);
    const removes = ops.filter((o) => o.f === 'remove' && o.type === 'ok');
    assert.ok(removes.length > 0 && removes.every((o) => Array.isArray((o.meta?.orset as { covered?: unknown })?.covered)));
  });

  it('mv-register: final reads hold exactly the concurrent writes', async () => {
    const { results } = await runOf('mv-register', ['--workload', 'mv-register', '--nemesis', 'partition', '--nemesis-interval', '1.5']);
    assert.ok(results.checkers['mv-register'].counts.finalReads > 0);
  });

  it('siblings: reads present the latest of the concurrent writes and list them all', async () => {
    const { results, out } = await runOf('siblings', ['--workload', 'siblings', '--nemesis', 'partition', '--nemesis-interval', '1.5']);
    assert.ok(results.checkers.siblings.counts.finalReads > 0);
    const { ops } = await readHistory(out.dir.history);
    assert.ok(ops.some((o) => o.f === 'read' && o.type === 'ok' && Array.isArray(o.meta?.siblings) && (o.meta.siblings as unknown[]).length >= 2), 'some read showed siblings');
  });

  it('write-once: regions race for each key across partitions; later writes are refused, the earliest is kept', async () => {
    const { results } = await runOf('write-once', ['--workload', 'write-once', '--nemesis', 'partition', '--nemesis-interval', '1.5']);
    const c = results.checkers['write-once'].counts;
    assert.ok(c.refused > 0, JSON.stringify(c));
    assert.ok(c.acknowledged > c.keys, `some key had writes accepted on both sides of a partition: ${JSON.stringify(c)}`);
  });

  it('degraded mode: a region cut off from the others marks every write it accepts meanwhile', async () => {
    const { results, out } = await runOf('degraded', ['--workload', 'set', '--nemesis', 'partition-isolate', '--nemesis-interval', '4'], 10);
    assert.ok(results.checkers['degraded-markers'].judged > 0, JSON.stringify(results.checkers['degraded-markers']));
    const { ops } = await readHistory(out.dir.history);
    assert.ok(ops.some((o) => o.type === 'ok' && o.meta?.conflictMarker === true), 'marked writes are recorded');
  });

  it('lww-register under clock-tie: equal timestamps resolve alike everywhere, and the fault is recorded', async () => {
    const { results, out } = await runOf('lww-register', ['--workload', 'lww-register', '--regions', 'us-east,eu-west', '--nemesis', 'clock-tie', '--nemesis-interval', '1', '--keys', '1']);
    assert.ok(results.checkers['register-versions'].judged > 0);
    const { ops } = await readHistory(out.dir.history);
    assert.ok(ops.some((o) => o.process === 'nemesis' && o.f === 'clock-tie' && o.type === 'info' && o.meta?.tookEffect === true), 'a clock tie took effect');
  });

  it('session: guarantees hold over sets and last-writer-wins registers for roaming clients', async () => {
    const { results } = await runOf('session', ['--workload', 'session', '--nemesis', 'partition', '--nemesis-interval', '2']);
    const s = results.checkers['session-guarantees'];
    assert.ok(s.checked.MW > 0 && s.checked.RYW > 0);
    assert.ok(results.checkers['register-versions'].judged > 0, 'register keys were read');
  });
});
