import { strict as assert } from 'node:assert';
import { Cluster, eventually, http, settledValue } from '../support/layer-process.ts';

/** Sum of rift_critical_ops_total{outcome="ok"} in a node's metrics: operations this node proposed itself. */
async function proposedOk(url: string): Promise<number> {
  const text = (await http(url, 'GET', '/metrics')).text;
  let sum = 0;
  for (const m of text.matchAll(/^rift_critical_ops_total\{[^}]*outcome="ok"[^}]*\} (\d+)/gm)) sum += Number(m[1]);
  return sum;
}

/**
 * proposers: "any": every region proposes for the same critical key at once, so ballots duel. A counter moved only
 * by cas from clients in every region must stay exact: every acknowledged increment counted once, none invented.
 */
describe('critical tier with duelling proposers (integration)', function () {
  this.timeout(90_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start(['ap-south', 'eu-west', 'us-east'], { extra: { proposers: 'any' } });
    await eventually(async () => (await http(cluster.nodes[0].url, 'GET', '/health')).body.quorum === true);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster.nodes) console.log(`--- ${n.region}\n${n.output.slice(-2000)}`);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('every region proposes, and the cas counter stays exact', async () => {
    const key = '/v1/kv/critical/duel';
    assert.equal((await http(cluster.nodes[0].url, 'PUT', key, { value: 0 })).status, 200);
    const before = await Promise.all(cluster.nodes.map((n) => proposedOk(n.url)));
    let ok = 0;
    let unknown = 0;
    const stopAt = Date.now() + 8_000;
    await Promise.all([0, 1, 2, 0, 1, 2].map(async (i) => {
      const node = cluster.nodes[i];
      let lastRead = -1;
      while (Date.now() < stopAt) {
        const cur = await http(node.url, 'GET', key);
        if (cur.status !== 200) continue;
        assert.ok(cur.body.value >= lastRead, `${node.region}: read went back from ${lastRead} to ${cur.body.value}`);
        lastRead = cur.body.value;
        const r = await http(node.url, 'POST', `${key}/cas`, { expected: cur.body.value, value: cur.body.value + 1 });
        if (r.status === 200 && r.body.ok) ok++;
        else if (r.status === 500 || r.status === 504) unknown++;
      }
    }));
    const after = await Promise.all(cluster.nodes.map((n) => proposedOk(n.url)));
    cluster.nodes.forEach((n, i) => assert.ok(after[i] > before[i], `${n.region} proposed nothing itself`));
    assert.ok(ok >= 3, `only ${ok} increments succeeded`);
    const finals = await Promise.all(cluster.nodes.map((n) => settledValue(n.url, key)));
    assert.equal(new Set(finals).size, 1, JSON.stringify(finals));
    assert.ok((finals[0] as number) >= ok && (finals[0] as number) <= ok + unknown, `final ${finals[0]}, acknowledged ${ok}, unknown ${unknown}`);
  });
});
