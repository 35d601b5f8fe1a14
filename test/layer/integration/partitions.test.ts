import { strict as assert } from 'node:assert';
import { Cluster, eventually, http, settledValue } from '../support/layer-process.ts';

/** Black-hole partitions between regions (cuttable link proxies), as Toxiproxy's timeout toxic makes them. */
describe('layer under partitions', function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south'], { proxied: true });
    await eventually(async () => (await http(cluster.nodes[0].url, 'GET', '/health')).body.quorum === true);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const n of cluster.nodes) console.log(`--- ${n.region}\n${n.output.slice(-2000)}`);
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('critical tier: the minority side refuses, the majority side goes on, and the cas counter stays exact', async () => {
    const key = '/v1/kv/critical/part';
    assert.equal((await http(cluster.nodes[0].url, 'PUT', key, { value: 0 })).status, 200);
    let ok = 0;
    let unknown = 0;
    const refusedBy = new Set<string>();
    let stop = false;
    const clients = cluster.nodes.map(async (node) => {
      let lastRead = -1;
      while (!stop) {
        const cur = await http(node.url, 'GET', key);
        if (cur.status !== 200) {
          if (cur.status === 503) refusedBy.add(node.region);
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        assert.ok(cur.body.value >= lastRead, `${node.region}: read went back from ${lastRead} to ${cur.body.value}`);
        lastRead = cur.body.value;
        const r = await http(node.url, 'POST', `${key}/cas`, { expected: cur.body.value, value: cur.body.value + 1 });
        if (r.status === 200 && r.body.ok) ok++;
        else if (r.status === 503) refusedBy.add(node.region);
        else if (r.status !== 200 && r.status !== 409) unknown++;
      }
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(1_000);
    cluster.isolate('us-east');
    await pause(3_000);
    cluster.isolate('us-east', false);
    await pause(1_500);
    cluster.isolate('ap-south');
    await pause(3_000);
    cluster.isolate('ap-south', false);
    await pause(1_500);
    stop = true;
    await Promise.all(clients);
    assert.ok(refusedBy.has('us-east') && refusedBy.has('ap-south'), `isolated regions refused: ${[...refusedBy]}`);
    assert.ok(ok > 5, `only ${ok} increments`);
    const finals = await Promise.all(cluster.nodes.map((n) => settledValue(n.url, key)));
    assert.equal(new Set(finals).size, 1, JSON.stringify(finals));
    assert.ok((finals[0] as number) >= ok && (finals[0] as number) <= ok + unknown, `final ${finals[0]}, acknowledged ${ok}, unknown ${unknown}`);
  });

  it('transactions: refused (503) where their home is cut off, served by the home, and again everywhere after heal', async () => {
    const [a, , c] = cluster.nodes;
    assert.equal(c.region, 'ap-south', 'the transaction home is the first region in sorted order');
    cluster.isolate('ap-south');
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.peers['ap-south'].up === false, 5_000, 'home seen down');
    const refused = await http(a.url, 'POST', '/v1/txn', { ops: [['append', 'list/iso', 1]] });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.body.error, 'txn-home-unreachable');
    const atHome = await http(c.url, 'POST', '/v1/txn', { ops: [['append', 'list/iso', 2], ['r', 'list/iso', null]] });
    assert.deepEqual(atHome.body.ops[1], ['r', 'list/iso', [2]]);
    cluster.isolate('ap-south', false);
    await eventually(async () => (await http(a.url, 'POST', '/v1/txn', { ops: [['append', 'list/iso', 3]] })).status === 200, 10_000, 'served after heal');
    const r = await http(a.url, 'POST', '/v1/txn', { ops: [['r', 'list/iso', null]] });
    assert.deepEqual(r.body.ops[0], ['r', 'list/iso', [2, 3]]);
  });

  it('normal tier: both sides take writes, mark them while degraded, and converge after heal', async () => {
    const [a, b, c] = cluster.nodes;
    cluster.isolate('us-east');
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.degraded === true, 5_000, 'us-east degraded');
    const minority = await http(a.url, 'POST', '/v1/kv/counter/split/incr', { delta: 1 });
    assert.equal(minority.status, 200);
    assert.equal(minority.body.conflictMarker, true);
    assert.equal((await http(b.url, 'POST', '/v1/kv/counter/split/incr', { delta: 10 })).status, 200);
    assert.equal((await http(c.url, 'PUT', '/v1/kv/split-reg', { value: 'majority' })).status, 200);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await http(a.url, 'GET', '/v1/kv/counter/split')).body.value, 1, 'nothing crossed the partition');
    cluster.isolate('us-east', false);
    for (const n of cluster.nodes) {
      await eventually(async () => (await http(n.url, 'GET', '/v1/kv/counter/split')).body.value === 11, 15_000, `${n.region} converged`);
    }
    await eventually(async () => {
      const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
      return new Set(ds.map((d) => d.body.digest)).size === 1;
    }, 15_000, 'digests agree');
    await eventually(async () => (await http(a.url, 'GET', '/admin/conflicts', undefined, { 'x-rift-admin': 'test-admin' })).body.markers.length === 0, 15_000, 'markers reconciled');
  });

  it('a region that can send to no peer is degraded, though the peers\' requests still reach it', async () => {
    const [a, b] = cluster.nodes;
    const outbound = [...cluster.links].filter(([name]) => name.startsWith('us-east>')).map(([, link]) => link);
    for (const link of outbound) link.setCut(true);
    // eu-west keeps writing, so it ships batches to us-east throughout: none of that is us-east reaching a majority.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        assert.equal((await http(b.url, 'PUT', `/v1/kv/one-way-${i % 20}`, { value: i })).status, 200);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      assert.equal((await http(a.url, 'GET', '/health')).body.degraded, true, 'degraded while batches keep arriving');
      const w = await http(a.url, 'PUT', '/v1/kv/one-way', { value: 'x' });
      assert.equal(w.body.conflictMarker, true);
    } finally {
      writing = false;
      await writer;
      for (const link of outbound) link.setCut(false);
    }
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.degraded === false, 10_000, 'quorum back');
  });
});
