import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, Completion } from '../../../../harness/core/client.ts';
import type { IndexedOp, Op } from '../../../../harness/core/op.ts';
import { peerLink } from '../../../../harness/core/target.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../../../harness/net/toxiproxy.ts';
import { createServer } from 'node:net';
import { bridge, cutLinks, isolate } from '../../../../harness/net/grudge.ts';
import { clientOps } from '../../../../harness/generator/basic.ts';
import { PartitionFault } from '../../../../harness/nemesis/faults/partition.ts';
import { timeLimit } from '../../../../harness/generator/time.ts';
import { interpret } from '../../../../harness/generator/interpreter.ts';
import { checkLinearizable } from '../../../../checkers/linearizable/index.ts';
import { createEtcdTarget, type EtcdTarget } from '../../../../harness/targets/etcd/index.ts';
import { etcdClient } from '../../../../workloads/clients/etcd.ts';

const REGIONS = ['east', 'west', 'south'];
const op = (f: string, key: string, value: unknown): Op => ({ type: 'invoke', process: 0, f, key, value, time: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('targets/etcd (a real 3-member etcd cluster through Toxiproxy)', function () {
  this.timeout(120_000);
  let dir: string;
  let target: EtcdTarget;
  let toxiproxy: ToxiproxyServer | undefined;
  const clients: Record<string, Client> = {};
  const call = (region: string, f: string, key: string, value: unknown, ms = 3000): Promise<Completion> =>
    clients[region].invoke(op(f, key, value), AbortSignal.timeout(ms));
  /** Retries until the operation is ok (a member may still be catching up after a fault). */
  const eventually = async (region: string, f: string, key: string, value: unknown, want?: unknown): Promise<Completion> => {
    let last: Completion | undefined;
    for (const end = Date.now() + 40_000; Date.now() < end;) {
      last = await call(region, f, key, value, 2000);
      if (last.type === 'ok' && (want === undefined || JSON.stringify(last.value) === JSON.stringify(want))) return last;
      await sleep(250);
    }
    assert.fail(`${f} ${key} in ${region} never returned ${want === undefined ? 'ok' : JSON.stringify(want)}: ${JSON.stringify(last)}`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-etcd-target-'));
    const runDir = { root: dir, logs: join(dir, 'logs'), data: join(dir, 'data') };
    mkdirSync(runDir.logs);
    mkdirSync(runDir.data);
    // An outside Toxiproxy server, as a runner sharing one would pass; the tests also read proxy state from it.
    toxiproxy = await startToxiproxy({ logFile: join(runDir.logs, 'toxiproxy.log') });
    target = createEtcdTarget({ regions: REGIONS, dir: runDir, toxiproxy: toxiproxy.client });
    await target.setup();
    const endpoints = Object.fromEntries(REGIONS.map((r) => [r, target.clientEndpoint(r)]));
    const factory = etcdClient(endpoints, 3000);
    for (const r of REGIONS) clients[r] = await factory.open(r, 0);
  });

  after(async () => {
    await target?.teardown();
    await toxiproxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await target.network.healAll();
    for (const r of REGIONS) {
      await target.resume(r);
      await target.restart(r);
    }
  });

  it('serves a write made through one member\'s client proxy to a read through another\'s', async () => {
    const w = await call('east', 'write', 'x', 1);
    assert.equal(w.type, 'ok', JSON.stringify(w));
    const r = await call('south', 'read', 'x', null);
    assert.deepEqual({ type: r.type, value: r.value, version: r.meta?.version }, { type: 'ok', value: 1, version: w.meta?.version });
    for (const r of REGIONS) assert.notEqual(target.clientEndpoint(r).port, 0);
    for (const f of target.logFiles()) assert.ok(existsSync(f), f);
  });

  it('keeps working without a killed member, which rejoins from its data dir on restart', async () => {
    await target.kill('west');
    const down = await call('west', 'read', 'k', null, 1000);
    assert.equal(down.type, 'fail', 'nothing answers for a killed member');
    // If the killed member led, the others first elect a new leader.
    await eventually('east', 'write', 'k', 'during');
    await target.restart('west');
    await eventually('west', 'read', 'k', null, 'during');
    assert.equal((await call('west', 'cas', 'k', ['during', 'after'])).value, true);
  });

  it('a member whose port was taken while it was down restarts on new ports behind the same proxies', async () => {
    await target.kill('west');
    const before = (await toxiproxy!.client.getProxy('client_west')).upstream;
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(Number(before.split(':')[1]), '127.0.0.1', () => r()));
    try {
      await target.restart('west');
      const after = (await toxiproxy!.client.getProxy('client_west')).upstream;
      assert.notEqual(after, before, 'the client proxy leads to the new port');
      await eventually('west', 'write', 'moved', 1);
      await eventually('south', 'read', 'moved', null, 1);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('a paused member stops answering while the others go on', async () => {
    await target.pause('south');
    await eventually('east', 'write', 'p', 1);
    const r = await call('south', 'read', 'p', null, 800);
    assert.equal(r.type, 'fail');
    await target.resume('south');
    await eventually('south', 'read', 'p', null, 1);
  });

  it('under a bridge partition the bridge member, in every majority, keeps serving; the sides agree after heal', async () => {
    // etcd 3.4 runs without pre-vote by default, so the two sides may take leadership from each other in turns;
    // liveness through a side is not promised, only through the bridge.
    await target.network.cut(cutLinks(bridge(['west', 'east', 'south'])), 'black-hole');
    await eventually('west', 'write', 'b', 'w');
    assert.equal((await eventually('west', 'cas', 'b', ['w', 'w2'])).value, true);
    await target.network.heal();
    await eventually('east', 'read', 'b', null, 'w2');
    await eventually('south', 'read', 'b', null, 'w2');
  });

  it('with every member apart no write completes, and service returns after heal', async () => {
    await eventually('east', 'write', 'apart', 0);
    const all = REGIONS.flatMap((a) => REGIONS.filter((b) => b !== a).map((b) => peerLink(a, b)));
    await target.network.cut(all, 'black-hole');
    // A leader keeps its lease for up to an election timeout; past that no quorum is reachable.
    await sleep(2500);
    const w = await call('east', 'write', 'apart', 1, 2000);
    assert.equal(w.type, 'info', JSON.stringify(w));
    const r = await call('west', 'read', 'apart', null, 2000);
    assert.equal(r.type, 'fail', JSON.stringify(r));
    await target.network.heal();
    await eventually('south', 'write', 'apart', 2);
    await eventually('east', 'read', 'apart', null, 2);
  });

  it('an isolated member stops serving while the other two go on; after heal it catches up', async () => {
    await eventually('east', 'write', 'iso', 0);
    await target.network.cut(cutLinks(isolate(REGIONS, 'east')), 'black-hole');
    // If east led, west and south elect a leader once its lease has run out.
    await eventually('west', 'write', 'iso', 1);
    await eventually('south', 'read', 'iso', null, 1);
    const w = await call('east', 'write', 'iso', 2, 2000);
    assert.notEqual(w.type, 'ok', `the isolated member wrote without a quorum: ${JSON.stringify(w)}`);
    const r = await call('east', 'read', 'iso', null, 2000);
    assert.notEqual(r.type, 'ok', `the isolated member served a linearizable read without a quorum: ${JSON.stringify(r)}`);
    // A serializable read is served from the member's own state: the value from before the isolation.
    const endpoints = Object.fromEntries(REGIONS.map((x) => [x, target.clientEndpoint(x)]));
    const local = await etcdClient(endpoints, 2000, { serializableReads: true }).open('east', 0);
    const stale = await local.invoke(op('read', 'iso', null), AbortSignal.timeout(2000));
    assert.deepEqual([stale.type, stale.value], ['ok', 0], JSON.stringify(stale));
    await target.network.heal();
    await eventually('east', 'read', 'iso', null, 1);
  });

  it('refuses a one-way cut and cuts nothing; latency may go on peer links', async () => {
    await assert.rejects(target.network.cut([peerLink('east', 'west')], 'clean'), /cannot cut peer:east->west one way/);
    assert.equal((await call('east', 'write', 'oneway', 1)).type, 'ok');
    // Through the partition nemesis, the refusal is an honest fault record.
    const out = await new PartitionFault(target.network, REGIONS).invoke({
      type: 'invoke', process: 'nemesis', f: 'partition', time: 0, value: { shape: 'asymmetric', groups: [['east'], ['west', 'south']], mode: 'black-hole' },
    });
    assert.equal(out.tookEffect, false);
    assert.match(out.error ?? '', /one way/);
    assert.equal((await call('west', 'write', 'oneway', 2)).type, 'ok');
    await target.network.setLatency(peerLink('east', 'west'), 50, 0);
    const toxics = await toxiproxy!.client.toxics('peer_east_to_west');
    assert.deepEqual(toxics.map((t) => [t.type, (t.attributes as { latency?: number }).latency]), [['latency', 50], ['latency', 50]]);
    await eventually('west', 'write', 'oneway', 3);
  });

  it('a cut client link makes that region\'s operations fail or go unknown, not the others\'', async () => {
    await target.network.cut(['client:west'], 'clean');
    assert.equal((await call('west', 'write', 'c', 1, 1000)).type, 'fail', 'a refused connection is definite');
    assert.equal((await call('east', 'write', 'c', 2)).type, 'ok');
  });

  it('a cas-register history under kills and a bridge partition is linearizable', async () => {
    const events: Op[] = [];
    const t0 = process.hrtime.bigint();
    const now = () => Number(process.hrtime.bigint() - t0);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const gen = timeLimit(8000, clientOps((ctx) => {
      const r = ctx.random();
      const v = () => Math.floor(ctx.random() * 5);
      if (r < 0.4) return { f: 'read', key: 'reg', value: null };
      if (r < 0.7) return { f: 'write', key: 'reg', value: v() };
      return { f: 'cas', key: 'reg', value: [v(), v()] };
    }));
    const faults = (async () => {
      await sleep(1000);
      await target.kill('east');
      await sleep(1500);
      await target.restart('east');
      await sleep(1000);
      await target.network.cut(cutLinks(bridge(['south', 'east', 'west'])), 'black-hole');
      await sleep(2000);
      await target.network.heal();
    })();
    const stats = await interpret({
      generator: gen, concurrency: 6, regions: REGIONS, client: clients.east, record: (e) => events.push(e), now, random, opTimeoutMs: 1500,
    });
    await faults;
    const history: IndexedOp[] = events.map((e, i) => ({ ...e, index: i, line: i + 1 }));
    assert.ok(stats.completed.ok > 50, `enough operations completed: ${JSON.stringify(stats)}`);
    assert.ok(events.some((e) => e.type === 'ok' && e.f === 'cas' && e.value === true), 'some cas succeeded');
    const result = await checkLinearizable(history, { model: 'cas-register', budgetMs: 30_000 });
    assert.equal(result.valid, true, JSON.stringify(result).slice(0, 2000));
  });
});
