import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '../../../harness/core/client.ts';
import type { Op } from '../../../harness/core/op.ts';
import type { Target } from '../../../harness/core/target.ts';
import { interpret } from '../../../harness/generator/interpreter.ts';
import { phases } from '../../../harness/generator/compose.ts';
import { timeLimit } from '../../../harness/generator/time.ts';
import { LocalTarget } from '../../../harness/targets/local/target.ts';
import { composeNemeses, expandFaultPresets, nemesisPackage, parseFaultNames } from '../../../harness/nemesis/package.ts';
import { PAXOS_FAILPOINTS } from '../../../harness/nemesis/faults/failpoint.ts';
import { PARTITION_ALIASES } from '../../../harness/core/faults.ts';
import { PARTITION_SHAPES } from '../../../harness/net/grudge.ts';
import { faultCoverage } from '../../../harness/core/faults.ts';
import { FAULT_KINDS } from '../../../harness/nemesis/schedule.ts';

const FAKE_NODE = fileURLToPath(new URL('../targets/local/fixtures/fake-node.ts', import.meta.url));

const bareTarget: Target = {
  name: 'bare', regions: ['a', 'b'], setup: async () => undefined, teardown: async () => undefined,
  clientEndpoint: () => ({ host: '127.0.0.1', port: 1 }),
};

const noClient: Client = {
  open: async () => noClient,
  invoke: async () => ({ type: 'ok', value: null }),
  close: async () => undefined,
};

describe('nemesis/package', () => {
  it('refuses faults the target cannot support, and unknown faults, before the run', () => {
    assert.throws(() => nemesisPackage({ faults: ['kill'], target: bareTarget, seed: 1, intervalMs: 10 }), /fault "kill" needs a target that can kill and restart regions; target "bare" cannot/);
    assert.throws(() => nemesisPackage({ faults: ['partition'], target: bareTarget, seed: 1, intervalMs: 10 }), /fault "partition" needs a target that can fault its network links/);
    assert.throws(() => nemesisPackage({ faults: ['kill', 'meteor'], target: bareTarget, seed: 1, intervalMs: 10 }), /unknown fault "meteor"; faults are/);
  });

  it('reads partition-<shape> names as partitions restricted to those shapes', () => {
    assert.deepEqual(parseFaultNames(['partition-halves', 'kill', 'partition-ring']), { kinds: ['partition', 'kill'], partitionShapes: ['halves', 'majorities-ring'] });
    assert.deepEqual(parseFaultNames(['partition', 'partition-client']), { kinds: ['partition'] });
    for (const shape of Object.values(PARTITION_ALIASES)) assert.ok((PARTITION_SHAPES as readonly string[]).includes(shape), `alias shape ${shape} is a partition shape`);
    assert.deepEqual(parseFaultNames(['failpoint-paxos', 'kill']).kinds, ['failpoint', 'kill']);
    assert.deepEqual(parseFaultNames(['failpoint-replication']).failpointNames, ['replicate-before-apply', 'replicate-before-write', 'replicate-receiver-reply', 'replicate-before-checkpoint']);
    assert.equal(parseFaultNames(['failpoint', 'failpoint-paxos']).failpointNames, undefined, 'plain failpoint means every point');
    assert.deepEqual(expandFaultPresets(['critical', 'kill']), ['partition-ring', 'partition-bridge', 'failpoint-paxos', 'kill']);
    assert.deepEqual(parseFaultNames(['latency-wan-fast', 'kill']), { kinds: ['latency', 'kill'], latencyPresets: ['wan-fast'] });
    assert.deepEqual(parseFaultNames(['latency', 'latency-wan']), { kinds: ['latency'] }, 'plain latency means every WAN preset');
    assert.deepEqual(parseFaultNames(['chaos']).latencyPresets, ['wan-fast']);
    assert.deepEqual(parseFaultNames(['critical']), { kinds: ['partition', 'failpoint', 'kill'], partitionShapes: ['majorities-ring', 'bridge'], failpointNames: [...PAXOS_FAILPOINTS] });
    assert.throws(() => parseFaultNames(['partition-moon']), /unknown fault "partition-moon"; faults are partition, .*partition-bridge/);
    assert.throws(() => nemesisPackage({ faults: ['failover'], target: bareTarget, seed: 1, intervalMs: 10 }), /target "bare" has no primary to fail over/);
  });

  it('composition routes by f, rejects overlaps, and reports ops nobody handles as not taking effect', async () => {
    const seen: string[] = [];
    const part = (fs: string[]) => ({
      fs: new Set(fs),
      invoke: async (op: Op) => { seen.push(op.f); return { value: op.f, tookEffect: true }; },
      teardown: async () => { seen.push(`teardown ${fs[0]}`); },
    });
    const n = composeNemeses([part(['x', 'y']), part(['z'])]);
    assert.deepEqual([...n.fs], ['x', 'y', 'z']);
    await n.invoke({ type: 'invoke', process: 'nemesis', f: 'z', value: null, time: 0 });
    const none = await n.invoke({ type: 'invoke', process: 'nemesis', f: 'w', value: null, time: 0 });
    assert.equal(none.tookEffect, false);
    await n.teardown();
    assert.deepEqual(seen, ['z', 'teardown x', 'teardown z']);
    assert.throws(() => composeNemeses([part(['x']), part(['x'])]), /two faults handle "x"/);
  });

  describe('driven by the interpreter against a local target (fake node)', function () {
    this.timeout(120_000);
    let root: string;
    let target: LocalTarget;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'rift-nem-'));
      target = new LocalTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, nodeEntry: FAKE_NODE, readyTimeoutMs: 20_000 });
      await target.setup();
    });
    after(async () => {
      await target?.teardown();
      rmSync(root, { recursive: true, force: true });
    });

    it('runs the seeded schedule, records every fault with its outcome, and the final phase heals everything', async () => {
      const pkg = nemesisPackage({ faults: FAULT_KINDS.filter((k) => k !== 'failover' && k !== 'failpoint'), target, seed: 2026, intervalMs: 250 });
      const history: Op[] = [];
      const t0 = process.hrtime.bigint();
      await interpret({
        generator: phases(timeLimit(6000, pkg.generator), pkg.finalGenerator),
        concurrency: 1, regions: target.regions, client: noClient, nemesis: pkg.nemesis,
        record: (op) => history.push(op), now: () => Number(process.hrtime.bigint() - t0), random: () => 0.5, opTimeoutMs: 5000,
      });
      const invokes = history.filter((o) => o.type === 'invoke');
      const infos = history.filter((o) => o.type === 'info');
      assert.equal(invokes.length, infos.length, 'every fault asked for is completed');
      const heal = pkg.finalHeal();
      const main = invokes.slice(0, invokes.length - heal.length);
      assert.ok(main.length >= 8, `only ${main.length} faults in 6 s`);
      assert.deepEqual(main.map((o) => [o.f, o.value]), pkg.schedule.take(main.length).map((s) => [s.f, s.value]), 'the history follows the seeded schedule');
      assert.deepEqual(invokes.slice(main.length).map((o) => [o.f, o.value]), heal.map((s) => [s.f, s.value]), 'then the final heal');
      for (let i = 0; i < infos.length; i++) {
        assert.equal(infos[i].f, invokes[i].f);
        assert.ok(infos[i].time >= invokes[i].time, 'took effect no earlier than asked');
        assert.equal(infos[i].meta?.tookEffect, true, `${infos[i].f} ${JSON.stringify(invokes[i].value)} failed: ${infos[i].error}`);
      }
      const cov = faultCoverage(history);
      assert.ok(cov.every((r) => r.failed === 0 && r.tookEffect === r.asked));
      assert.equal(cov.reduce((s, r) => s + r.asked, 0), invokes.length);
      for (const r of target.regions) assert.equal(target.stateOf(r), 'up', `${r} left ${target.stateOf(r)}`);
    });

    it('teardown undoes faults still in force even without a final heal', async () => {
      const pkg = nemesisPackage({ faults: ['kill', 'pause', 'partition'], target, seed: 5, intervalMs: 10 });
      const ask = (f: string, value: unknown) => pkg.nemesis.invoke({ type: 'invoke', process: 'nemesis', f, value, time: 0 });
      assert.equal((await ask('kill', 'us-east')).tookEffect, true);
      assert.equal((await ask('pause', 'eu-west')).tookEffect, true);
      assert.equal((await ask('partition', { shape: 'client-side', groups: [['ap-south']], mode: 'clean' })).tookEffect, true);
      const bad = await ask('partition', { shape: 'isolate', groups: [['mars'], ['us-east']], mode: 'clean' });
      assert.equal(bad.tookEffect, false);
      assert.match(bad.error ?? '', /"mars" is not one of the regions/);
      await pkg.nemesis.teardown();
      for (const r of target.regions) assert.equal(target.stateOf(r), 'up');
      const h = await fetch(`http://${target.clientEndpoint('ap-south').host}:${target.clientEndpoint('ap-south').port}/health`);
      assert.equal(h.status, 200);
    });
  });
});
