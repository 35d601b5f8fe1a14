/**
 * The example project's test: Rift, used as a library inside mocha, tests the key-value server of server.mjs under
 * crashes. The durable server must pass; the forgetful one loses acknowledged writes, and Rift must say so.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, run } from 'rift';
import { kvTarget } from './kv-target.ts';
import { kvWorkload, readsOfWrittenValues } from './kv-workload.ts';

describe('example: a key-value server tested through the rift library API', function () {
  this.timeout(60_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-example-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  const crashRun = (mode: 'durable' | 'forgetful') => run({
    target: kvTarget(mode), workload: kvWorkload, faults: ['kill'], regions: ['east', 'west'],
    timeLimitS: 6, nemesisIntervalS: 1, settleS: 0.5, concurrency: 4, rate: 100, seed: 7, store, name: `kv-${mode}`,
  });

  it('the durable server keeps every acknowledged write across crashes', async () => {
    const { results, exitCode, dir } = await crashRun('durable');
    const { faults } = JSON.parse(readFileSync(dir.runJson, 'utf8')) as { faults: { kind: string; tookEffect: number }[] };
    assert.ok(faults.some((f) => f.kind === 'kill' && f.tookEffect > 0), `no crash took effect: ${JSON.stringify(faults)}`);
    assert.equal(results.checkers.linearizable.valid, true, JSON.stringify(results.checkers.linearizable).slice(0, 1000));
    assert.equal(results.valid, true);
    assert.equal(exitCode, 0);
  });

  it('the forgetful server loses acknowledged writes when it crashes, and the run says so', async () => {
    const { results, exitCode } = await crashRun('forgetful');
    assert.equal(results.checkers.linearizable.valid, false);
    assert.equal(exitCode, 1);
  });

  it('check() judges a history with a checker of its own', async () => {
    const op = (type: 'invoke' | 'ok', f: string, value: unknown, time: number) => ({ type, process: 0, f, key: 'k0', value, time });
    const results = await check([op('invoke', 'write', 1, 1), op('ok', 'write', 1, 2), op('invoke', 'read', null, 3), op('ok', 'read', 9, 4)], { checkers: [readsOfWrittenValues] });
    assert.equal(results.valid, false);
    assert.match(String(results.checkers['reads-of-written-values'].reason), /1 reads returned values never written/);
  });
});
