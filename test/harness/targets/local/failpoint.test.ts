import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '../../../../harness/core/op.ts';
import { LocalTarget } from '../../../../harness/targets/local/target.ts';
import { nemesisPackage, type NemesisPackage } from '../../../../harness/nemesis/package.ts';
import { faultCoverage } from '../../../../harness/core/faults.ts';
import { eventually } from '../../../layer/support/layer-process.ts';

const nem = (f: string, value: unknown): Op => ({ type: 'invoke', process: 'nemesis', f, value, time: 0 });

async function put(ep: { host: string; port: number }, key: string, value: unknown): Promise<number | 'no answer'> {
  try {
    const res = await fetch(`http://${ep.host}:${ep.port}/v1/kv/${key}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }), signal: AbortSignal.timeout(5000),
    });
    await res.text();
    return res.status;
  } catch {
    return 'no answer';
  }
}

/**
 * The failpoint fault against the real layer through the local target: arming is seeded data in the history, a
 * crash at a failpoint is noticed by the target (the node exits on its own), and clear-failpoint restarts it.
 */
describe('failpoint fault on the local target (real layer)', function () {
  this.timeout(120_000);
  let root: string;
  let target: LocalTarget;
  let pkg: NemesisPackage;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'rift-fp-'));
    target = new LocalTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions: ['us-east', 'eu-west', 'ap-south'], proposers: 'any' });
    await target.setup();
    pkg = nemesisPackage({ faults: ['failpoint'], target, seed: 4, intervalMs: 500 });
  });
  after(async () => {
    await pkg?.nemesis.teardown().catch(() => undefined);
    await target?.teardown();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the seeded schedule arms and clears failpoints, and the same seed gives the same armings', () => {
    const ops = pkg.schedule.take(6);
    assert.deepEqual(ops.map((o) => o.f), ['failpoint', 'clear-failpoint', 'failpoint', 'clear-failpoint', 'failpoint', 'clear-failpoint']);
    assert.deepEqual(nemesisPackage({ faults: ['failpoint'], target, seed: 4, intervalMs: 500 }).schedule.take(6), ops);
  });

  it('a crash at a failpoint takes the node down; clear-failpoint restarts it and says so', async () => {
    const history: Op[] = [];
    const invoke = async (f: string, value: unknown) => {
      history.push(nem(f, value));
      const out = await pkg.nemesis.invoke(nem(f, value));
      history.push({ type: 'info', process: 'nemesis', f, value: out.value, time: 1, meta: { tookEffect: out.tookEffect } });
      return out;
    };
    // A node that has not yet heard a majority of peers, or has just lost one to a slow probe on a loaded machine,
    // refuses a critical write with 503, which says nothing about a failpoint: so each decided write is waited for.
    await eventually(async () => (await put(target.clientEndpoint('us-east'), 'critical/fp', 0)) === 200, 15_000, 'us-east decides critical writes before the failpoint');
    const armed = await invoke('failpoint', { region: 'us-east', name: 'paxos-proposer-reply', action: 'crash', times: 1 });
    assert.equal(armed.tookEffect, true, armed.error);
    assert.equal(await put(target.clientEndpoint('us-east'), 'critical/fp', 1), 'no answer', 'the node died before answering');
    for (let i = 0; i < 50 && target.stateOf('us-east') !== 'crashed'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(target.stateOf('us-east'), 'crashed');
    const cleared = await invoke('clear-failpoint', { region: 'us-east' });
    assert.equal(cleared.tookEffect, true, cleared.error);
    assert.deepEqual(cleared.value, { region: 'us-east', fired: {}, restarted: true });
    assert.equal(target.stateOf('us-east'), 'up');
    await eventually(async () => (await put(target.clientEndpoint('us-east'), 'critical/fp', 2)) === 200, 15_000, 'the restarted node decides again');
    assert.deepEqual(faultCoverage(history).map((r) => [r.kind, r.target, r.tookEffect]), [['clear-failpoint', 'us-east', 1], ['failpoint', 'us-east', 1]]);
  });

  it('a pause or drop armed and cleared reports how often it fired; a bad value does not take effect', async () => {
    await eventually(async () => (await put(target.clientEndpoint('us-east'), 'critical/fp2', 0)) === 200, 15_000, 'us-east decides critical writes before the failpoint');
    assert.equal((await pkg.nemesis.invoke(nem('failpoint', { region: 'eu-west', name: 'paxos-before-promise', action: 'drop', times: 100 }))).tookEffect, true);
    await eventually(async () => (await put(target.clientEndpoint('us-east'), 'critical/fp2', 1)) === 200, 15_000, 'a majority without eu-west still decides');
    const out = await pkg.nemesis.invoke(nem('clear-failpoint', { region: 'eu-west' }));
    const fired = (out.value as { fired: Record<string, number> }).fired['paxos-before-promise'];
    assert.ok(fired >= 1, JSON.stringify(out.value));
    const bad = await pkg.nemesis.invoke(nem('failpoint', { region: 'eu-west', name: 'nowhere', action: 'drop', times: 1 }));
    assert.equal(bad.tookEffect, false);
    assert.match(bad.error ?? '', /value.name must be one of paxos-accept-sent/);
  });
});
