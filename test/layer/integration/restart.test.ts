import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

/**
 * Acceptance: replication survives killing and restarting a node and its Redis mid-stream (both the receiving
 * and the sending side) with no acknowledged write lost. Redis runs with appendfsync always.
 */
describe('layer replication across kill -9 of nodes and their redis', function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south']);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster.nodes) console.log(`--- ${n.region}\n${n.output.slice(-3000)}`);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('loses no acknowledged write', async () => {
    const [a, b] = cluster.nodes;
    const acked = new Map<string, number>();
    const maybe = new Map<string, number[]>();
    let stop = false;
    let i = 0;
    const writer = (async () => {
      while (!stop) {
        const key = `w/${i % 200}`;
        const value = i++;
        // Until acknowledged, a write's outcome is unknown: a kill may land after the commit and before the reply.
        maybe.set(key, [...(maybe.get(key) ?? []), value]);
        try {
          const r = await http(a.url, 'PUT', `/v1/kv/${key}`, { value });
          if (r.status === 200) {
            acked.set(key, value);
            maybe.set(key, []);
          }
        } catch {
          // Connection refused while the node is down: not acknowledged, nothing to check.
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const ackedAtLeast = (n: number) => eventually(async () => acked.size >= n || i >= n, 20_000, `${n} writes`);

    await ackedAtLeast(50);
    // The receiving side dies mid-stream, Redis and all.
    await b.kill();
    await b.redis.kill();
    const beforeRestart = i;
    await eventually(async () => i >= beforeRestart + 50, 20_000, 'writes while eu-west is down');
    await b.redis.restart();
    await b.start();

    // Then the sending side dies mid-stream, Redis and all.
    const beforeKill = i;
    await eventually(async () => i >= beforeKill + 50, 20_000, 'writes after eu-west restart');
    await a.kill();
    await a.redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    await a.redis.restart();
    await a.start();
    const afterRestart = i;
    await eventually(async () => i >= afterRestart + 50, 20_000, 'writes after us-east restart');
    stop = true;
    await writer;

    assert.ok(acked.size > 50, `only ${acked.size} writes acknowledged`);
    for (const n of cluster.nodes) {
      await eventually(async () => {
        for (const [key, value] of acked) {
          const r = await http(n.url, 'GET', `/v1/kv/${key}`);
          // The acknowledged value, or a later write whose outcome was unknown; never anything older.
          if (r.status !== 200 || !(r.body.value === value || (maybe.get(key) ?? []).includes(r.body.value))) return false;
        }
        return true;
      }, 30_000, `${n.region} to hold every acknowledged write`);
    }
    await eventually(async () => {
      const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
      return new Set(ds.map((d) => d.body.digest)).size === 1;
    }, 15_000, 'digests to agree');
  });
});
