import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { Cluster, eventually, http, type LayerProcess } from '../support/layer-process.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];
const SET_KEYS = Array.from({ length: 6 }, (_, i) => `set/wipe${i}`);
const WORKERS_PER_REGION = 3;

interface Load {
  /** Elements whose add was acknowledged (200), per key. */
  acked: Map<string, Set<number>>;
  /** Acknowledged adds per region that took them. */
  ackedBy: Map<string, number>;
  /** The region that acknowledged each element, to name it if the element is lost. */
  ackedAt: Map<number, string>;
  /** Adds sent and not yet answered, per region. */
  inFlight: Map<string, number>;
  /** Adds refused while the region re-seeded: definite 503s, nothing written. */
  refused: number;
  stop(): Promise<void>;
}

/** Concurrent OR-set adds of unique elements against the given regions until stopped; records every 200. */
function addLoad(nodes: () => LayerProcess[], next: { n: number }): Load {
  const acked = new Map(SET_KEYS.map((k) => [k, new Set<number>()]));
  let running = true;
  const load: Load = { acked, ackedBy: new Map(), ackedAt: new Map(), inFlight: new Map(), refused: 0, stop: async () => { running = false; await Promise.all(workers); } };
  const worker = async (w: number) => {
    while (running) {
      const list = nodes();
      const node = list[w % list.length];
      const element = next.n++;
      const key = SET_KEYS[element % SET_KEYS.length];
      load.inFlight.set(node.region, (load.inFlight.get(node.region) ?? 0) + 1);
      try {
        const r = await http(node.url, 'POST', `/v1/kv/${key}/add`, { element });
        if (r.status === 200) {
          acked.get(key)!.add(element);
          load.ackedAt.set(element, node.region);
          load.ackedBy.set(node.region, (load.ackedBy.get(node.region) ?? 0) + 1);
        }
        else if (r.status === 503 && r.body?.error === 'reseeding') load.refused++;
      } catch {
        // A node being restarted refuses connections: that add did not happen.
        await new Promise((r) => setTimeout(r, 20));
      } finally {
        load.inFlight.set(node.region, load.inFlight.get(node.region)! - 1);
      }
    }
  };
  const workers = Array.from({ length: WORKERS_PER_REGION * REGIONS.length }, (_, w) => worker(w));
  return load;
}

async function applied(node: LayerProcess): Promise<Record<string, number>> {
  return (await http(node.url, 'GET', '/digest')).body.applied as Record<string, number>;
}

describe('re-seeding a wiped region (real redis-servers and nodes)', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  const clients: Redis[] = [];

  before(async () => {
    cluster = await Cluster.start(REGIONS, { extra: { logTrimIntervalMs: 100, logLevel: 'info' } });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster?.nodes ?? []) console.log(`--- ${n.region}\n${n.output.slice(-4000)}`);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.dispose();
  });

  it('re-seeds a region wiped under load from its peers, and a set workload across the wipe loses no acknowledged add', async () => {
    const [usEast, euWest, apSouth] = cluster.nodes;
    const next = { n: 0 };
    let targets = [usEast, euWest, apSouth];
    const load = addLoad(() => targets, next);
    await new Promise((r) => setTimeout(r, 2_000));

    // eu-west stops taking writes and everything it acknowledged reaches both peers: a wipe can only lose what no
    // other region holds yet, which no re-seeding can bring back.
    targets = [usEast, apSouth];
    // Adds already sent to eu-west may still be acknowledged: they are waited out, so that the head read next is
    // eu-west's last (an add acknowledged after it and wiped before it shipped is lost by the test, not the layer).
    await eventually(async () => (load.inFlight.get('eu-west') ?? 0) === 0, 30_000, 'adds in flight to eu-west to be answered');
    let euHead = 0;
    await eventually(async () => {
      euHead = (await applied(euWest))['eu-west'];
      return (await applied(usEast))['eu-west'] === euHead && (await applied(apSouth))['eu-west'] === euHead;
    }, 60_000, 'peers to apply all of eu-west');
    assert.ok(euHead > 0, 'eu-west took writes before the wipe');
    // Peers' logs are trimmed to what eu-west confirmed, so the wiped region cannot simply be re-sent their logs.
    const usRedis = usEast.redis.client();
    clients.push(usRedis);
    const firstLogged = async () => Number((await usRedis.xrange('rift:log', '-', '+', 'COUNT', 1))[0]?.[0].split('-')[0] ?? Infinity);
    await eventually(async () => (await firstLogged()) > 1, 30_000, 'us-east log trimmed');

    // The wipe, while us-east and ap-south keep taking adds.
    await euWest.kill();
    const euRedis = euWest.redis.client();
    clients.push(euRedis);
    await euRedis.flushall();
    euRedis.disconnect();
    await euWest.redis.kill();
    await euWest.redis.restart();
    await euWest.start();
    assert.match(euWest.output, /"msg":"re-seeded from peers"/);
    const afterSeed = await applied(euWest);
    assert.ok(afterSeed['eu-west'] >= euHead, `eu-west continues its log after ${euHead}, not from 1 (head ${afterSeed['eu-west']})`);

    // eu-west takes writes again, under load, then everything settles.
    const euBefore = load.ackedBy.get('eu-west') ?? 0;
    targets = [usEast, euWest, apSouth];
    await new Promise((r) => setTimeout(r, 2_000));
    await load.stop();

    const total = [...load.acked.values()].reduce((n, s) => n + s.size, 0);
    assert.ok(total > 100, `${total} adds acknowledged in all`);
    assert.ok((load.ackedBy.get('eu-west') ?? 0) > euBefore, 'the re-seeded region acknowledged adds again');
    await eventually(async () => {
      const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
      return ds.every((d) => d.status === 200) && new Set(ds.map((d) => d.body.digest)).size === 1;
    }, 60_000, 'digests to agree');
    for (const node of cluster.nodes) {
      for (const [key, elements] of load.acked) {
        const r = await http(node.url, 'GET', `/v1/kv/${key}`);
        assert.equal(r.status, 200, r.text);
        const held = new Set(r.body.value as number[]);
        const lost = [...elements].filter((e) => !held.has(e));
        const where = lost.map((e) => `${e} by ${load.ackedAt.get(e)}`).join(', ');
        assert.deepEqual(lost, [], `${node.region} ${key}: ${lost.length} acknowledged adds lost of ${elements.size} (${where}; eu-west head at the wipe ${euHead})`);
      }
    }
    // Shipping to and from eu-west resumed: nothing reports it stalled.
    for (const node of cluster.nodes) {
      assert.deepEqual((await http(node.url, 'GET', '/health')).body.stalled, {}, `${node.region} health`);
    }
  });
});
