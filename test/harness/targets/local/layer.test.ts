import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '../../../../harness/core/op.ts';
import { LocalTarget } from '../../../../harness/targets/local/target.ts';
import { nemesisPackage, type NemesisPackage } from '../../../../harness/nemesis/package.ts';
import { processAlive } from '../../../../harness/process/spawn.ts';


type Json = Record<string, unknown>;
async function http(ep: { host: string; port: number }, method: string, path: string, body?: unknown, timeoutMs = 2000): Promise<{ status: number; json: Json }> {
  const res = await fetch(`http://${ep.host}:${ep.port}${path}`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function eventually(what: string, cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nem = (f: string, value: unknown): Op => ({ type: 'invoke', process: 'nemesis', f, value, time: 0 });

describe('targets/local with the real layer (issue 2 acceptance 3)', function () {
  this.timeout(180_000);
  const regions = ['us-east', 'eu-west', 'ap-south'];
  let root: string;
  let target: LocalTarget;
  let pkg: NemesisPackage;
  const read = async (region: string, key: string) => (await http(target.clientEndpoint(region), 'GET', `/v1/kv/${key}`)).json.value;
  const write = async (region: string, key: string, value: unknown) => {
    const r = await http(target.clientEndpoint(region), 'PUT', `/v1/kv/${key}`, { value });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'rift-layer-'));
    target = new LocalTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions });
    await target.setup();
    pkg = nemesisPackage({ faults: ['partition', 'kill', 'pause', 'clock-skew', 'latency'], target, seed: 1, intervalMs: 1000 });
  });
  after(async () => {
    if (!target) return;
    const pids = target.processGroups().map((g) => g.pid);
    await pkg?.nemesis.teardown().catch(() => undefined);
    await target.teardown();
    for (const pid of pids) assert.equal(processAlive(pid), false, `pid ${pid} survived teardown`);
    rmSync(root, { recursive: true, force: true });
  });

  it('a write through one region is visible in the others', async () => {
    await write('us-east', 'acc3/a', 1);
    await eventually('eu-west and ap-south read a=1', async () => (await read('eu-west', 'acc3/a')) === 1 && (await read('ap-south', 'acc3/a')) === 1);
  });

  for (const mode of ['black-hole', 'clean'] as const) {
    it(`an isolated region (${mode}) does not receive writes, and catches up after heal`, async () => {
      const key = `acc3/p-${mode}`;
      const out = await pkg.nemesis.invoke(nem('partition', { shape: 'isolate', groups: [['ap-south'], ['us-east', 'eu-west']], mode }));
      assert.equal(out.tookEffect, true, out.error);
      assert.equal(out.value, `isolated ap-south (${mode})`);
      await write('us-east', key, mode);
      await eventually('eu-west sees the write', async () => (await read('eu-west', key)) === mode);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await read('ap-south', key), null, 'replication reached the isolated region');
      const healed = await pkg.nemesis.invoke(nem('heal', null));
      assert.equal(healed.tookEffect, true, healed.error);
      await eventually('ap-south catches up after heal', async () => (await read('ap-south', key)) === mode);
    });
  }

  it('kill takes node and Redis down together; after restart the region serves its data again', async () => {
    await write('eu-west', 'acc3/durable', 'kept');
    const before = target.processGroups().filter((g) => g.name.endsWith('eu-west'));
    const killed = await pkg.nemesis.invoke(nem('kill', 'eu-west'));
    assert.equal(killed.tookEffect, true, killed.error);
    for (const g of before) assert.equal(processAlive(g.pid), false, `${g.name} still alive`);
    await assert.rejects(http(target.clientEndpoint('eu-west'), 'GET', '/health', undefined, 1000));
    const restarted = await pkg.nemesis.invoke(nem('restart', 'eu-west'));
    assert.equal(restarted.tookEffect, true, restarted.error);
    assert.equal(await read('eu-west', 'acc3/durable'), 'kept');
    const again = await pkg.nemesis.invoke(nem('restart', 'eu-west'));
    assert.equal(again.tookEffect, false, 'restarting a running region is reported as not taking effect');
    assert.match(again.error ?? '', /not killed/);
  });

  it('pause freezes a region and resume thaws it', async () => {
    assert.equal((await pkg.nemesis.invoke(nem('pause', 'us-east'))).tookEffect, true);
    await assert.rejects(http(target.clientEndpoint('us-east'), 'GET', '/health', undefined, 700), /timeout|aborted/i);
    assert.equal((await pkg.nemesis.invoke(nem('resume', 'us-east'))).tookEffect, true);
    assert.equal((await http(target.clientEndpoint('us-east'), 'GET', '/health')).status, 200);
  });

  it('clock skew goes through the admin hook', async () => {
    const out = await pkg.nemesis.invoke(nem('clock-skew', { offsets: { 'ap-south': 3000 } }));
    assert.equal(out.tookEffect, true, out.error);
    assert.equal(out.value, 'clock skew ap-south +3000 ms');
    assert.equal((await pkg.nemesis.invoke(nem('clear-clock-skew', { regions: ['ap-south'] }))).tookEffect, true);
  });

  it('the WAN latency preset slows requests between regions and clearing it restores them', async () => {
    const out = await pkg.nemesis.invoke(nem('latency', { preset: 'wan' }));
    assert.equal(out.tookEffect, true, out.error);
    assert.deepEqual((out.value as { rttMs: Json }).rttMs, { 'us-east<->eu-west': '80±8', 'us-east<->ap-south': '200±20', 'eu-west<->ap-south': '130±13' });
    const rtt = async () => ((await http(target.clientEndpoint('us-east'), 'GET', '/health')).json.peers as Record<string, { rttMs: number }>)['ap-south'].rttMs;
    await eventually('us-east measures the ~200 ms round trip to ap-south', async () => (await rtt()) >= 150);
    await write('us-east', 'acc3/slow', 1);
    await eventually('the write still replicates under latency', async () => (await read('ap-south', 'acc3/slow')) === 1);
    assert.equal((await pkg.nemesis.invoke(nem('clear-latency', null))).tookEffect, true);
    await eventually('the round trip is short again', async () => (await rtt()) < 100);
  });
});
