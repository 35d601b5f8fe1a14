import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';
import type { BugSwitch } from '../../../layer/config.ts';

const ADMIN = { 'x-rift-admin': 'test-admin' };

/**
 * The calibration bugs must really break the promise they name, so that a harness run with one switched on
 * can show the checker catching it. Each test pairs with a correct-behaviour test elsewhere.
 */
describe('layer bug switches break what they say', function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  it('skip-version-check: concurrent local increments are lost', async () => {
    cluster = await Cluster.start(['us-east'], { bugs: ['skip-version-check'] });
    const url = cluster.nodes[0].url;
    const rs = await Promise.all(Array.from({ length: 60 }, () => http(url, 'POST', '/v1/kv/counter/lost/incr', { delta: 1 })));
    assert.ok(rs.every((r) => r.status === 200));
    const v = (await http(url, 'GET', '/v1/kv/counter/lost')).body.value;
    assert.ok(v < 60, `expected lost updates, counter is ${v}`);
  });

  it('ack-before-write: a write acknowledged just before a crash is lost', async () => {
    cluster = await Cluster.start(['us-east'], { bugs: ['ack-before-write'] });
    const [a] = cluster.nodes;
    assert.equal((await http(a.url, 'PUT', '/v1/kv/acked', { value: 'yes' })).status, 200);
    await a.kill();
    await a.start();
    assert.equal((await http(a.url, 'GET', '/v1/kv/acked')).body.value, null);
  });

  it('without ack-before-write the same write survives the crash', async () => {
    cluster = await Cluster.start(['us-east']);
    const [a] = cluster.nodes;
    assert.equal((await http(a.url, 'PUT', '/v1/kv/acked', { value: 'yes' })).status, 200);
    await a.kill();
    await a.start();
    assert.equal((await http(a.url, 'GET', '/v1/kv/acked')).body.value, 'yes');
  });

  it('wall-clock-lww: a later write from a region with a slow clock loses', async () => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { bugs: ['wall-clock-lww'] });
    const [a, b] = cluster.nodes;
    await http(a.url, 'POST', '/admin/clock', { offsetMs: -30_000 }, ADMIN);
    assert.equal((await http(b.url, 'PUT', '/v1/kv/skewed', { value: 'first' })).status, 200);
    await eventually(async () => (await http(a.url, 'GET', '/v1/kv/skewed')).body.value === 'first');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/skewed', { value: 'second' })).status, 200);
    await new Promise((r) => setTimeout(r, 500));
    for (const n of [a, b]) assert.equal((await http(n.url, 'GET', '/v1/kv/skewed')).body.value, 'first');
  });

  it('without wall-clock-lww the causally later write wins despite the skew', async () => {
    cluster = await Cluster.start(['us-east', 'eu-west']);
    const [a, b] = cluster.nodes;
    await http(a.url, 'POST', '/admin/clock', { offsetMs: -30_000 }, ADMIN);
    assert.equal((await http(b.url, 'PUT', '/v1/kv/skewed', { value: 'first' })).status, 200);
    await eventually(async () => (await http(a.url, 'GET', '/v1/kv/skewed')).body.value === 'first');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/skewed', { value: 'second' })).status, 200);
    for (const n of [a, b]) await eventually(async () => (await http(n.url, 'GET', '/v1/kv/skewed')).body.value === 'second');
  });

  it('drop-batch-on-retry: writes shipped while a peer is down never reach it', async () => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { bugs: ['drop-batch-on-retry'] });
    const [a, b] = cluster.nodes;
    await b.kill();
    assert.equal((await http(a.url, 'PUT', '/v1/kv/dropped', { value: 1 })).status, 200);
    await new Promise((r) => setTimeout(r, 500));
    await b.start();
    assert.equal((await http(a.url, 'PUT', '/v1/kv/after', { value: 2 })).status, 200);
    await eventually(async () => (await http(b.url, 'GET', '/v1/kv/after')).body.value === 2);
    assert.equal((await http(b.url, 'GET', '/v1/kv/dropped')).body.value, null);
  });

  it('stale-critical-reads: a region whose acceptor missed a write serves the old value', async () => {
    const extra = { placement: [{ prefix: 'critical/', region: 'ap-south' }] };
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south'], { bugs: ['stale-critical-reads'], extra });
    const [a, , c] = cluster.nodes;
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.quorum === true);
    await c.kill();
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.peers['ap-south'].up === false);
    assert.equal((await http(a.url, 'PUT', '/v1/kv/critical/s', { value: 'new' })).status, 200);
    await c.start();
    assert.equal((await http(c.url, 'GET', '/v1/kv/critical/s')).body.value, null);
  });

  // eu-west drops every replication batch, so only the transaction home (us-east) has what transactions committed.
  const readOnlyTxnAtReplica = async (bugs: string[]) => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { bugs, extra: { txnMode: 'home', placement: [{ prefix: 'tx/', region: 'us-east' }] } });
    const [, b] = cluster.nodes;
    assert.equal((await http(b.url, 'POST', '/admin/failpoints', { name: 'replicate-before-apply', action: 'drop', times: 1000 }, ADMIN)).status, 200);
    assert.equal((await http(b.url, 'POST', '/v1/txn', { ops: [['append', 'tx/a', 1]] })).status, 200);
    const read = await http(b.url, 'POST', '/v1/txn', { ops: [['r', 'tx/a', null]] });
    assert.equal(read.status, 200);
    return read.body.ops[0][2];
  };

  it('txn-read-local: a read-only transaction at a replica misses what the home committed', async () => {
    assert.equal(await readOnlyTxnAtReplica(['txn-read-local']), null);
  });

  it('without txn-read-local the read-only transaction runs at home and sees the append', async () => {
    assert.deepEqual(await readOnlyTxnAtReplica([]), [1]);
  });

  // us-east increments a map field by 1 while eu-west, dropping every replication batch, increments it by 2; then
  // eu-west takes batches again, so each side merges the other's state of the field into its own.
  const concurrentMapIncrements = async (bugs: string[]) => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { bugs });
    const [a, b] = cluster.nodes;
    const incr = (url: string, delta: number) => http(url, 'POST', '/v1/kv/map/m/update', { field: 'hits', type: 'pn-counter', op: { op: 'incr', delta } });
    assert.equal((await http(b.url, 'POST', '/admin/failpoints', { name: 'replicate-before-apply', action: 'drop', times: 1000 }, ADMIN)).status, 200);
    assert.equal((await incr(a.url, 1)).status, 200);
    assert.equal((await incr(b.url, 2)).status, 200);
    assert.equal((await http(b.url, 'DELETE', '/admin/failpoints', undefined, ADMIN)).status, 200);
    const hits = async () => Promise.all([a, b].map(async (n) => (await http(n.url, 'GET', '/v1/kv/map/m')).body.value?.hits));
    await eventually(async () => (await hits()).every((h, i) => h !== [1, 2][i]), 15_000, 'each region to merge the other\'s increment');
    return hits();
  };

  it('map-merge-replaces-field: each region ends with the other\'s increment only', async () => {
    assert.deepEqual(await concurrentMapIncrements(['map-merge-replaces-field']), [2, 1]);
  });

  it('without map-merge-replaces-field both regions count both increments', async () => {
    assert.deepEqual(await concurrentMapIncrements([]), [3, 3]);
  });

  // Each region accepts its own first write of a write-once key while neither takes the other's batches; then both do.
  const concurrentFirstWrites = async (bugs: string[]) => {
    cluster = await Cluster.start(['us-east', 'eu-west'], { bugs });
    const [a, b] = cluster.nodes;
    for (const n of [a, b]) assert.equal((await http(n.url, 'POST', '/admin/failpoints', { name: 'replicate-before-apply', action: 'drop', times: 1000 }, ADMIN)).status, 200);
    assert.equal((await http(a.url, 'PUT', '/v1/kv/reject/once', { value: 'first' })).status, 200);
    assert.equal((await http(b.url, 'PUT', '/v1/kv/reject/once', { value: 'second' })).status, 200);
    for (const n of [a, b]) assert.equal((await http(n.url, 'DELETE', '/admin/failpoints', undefined, ADMIN)).status, 200);
    const reads = async () => Promise.all([a, b].map(async (n) => (await http(n.url, 'GET', '/v1/kv/reject/once')).body));
    // Both merges done: the regions agree and both flag the conflict (agreement alone can come first, under the switch,
    // when one region has the other's write and not yet the reverse).
    await eventually(async () => {
      const rs = await reads();
      return new Set(rs.map((r) => r.value)).size === 1 && rs.every((r) => r.conflict === true);
    }, 15_000, 'the regions to agree, each with the other\'s write');
    assert.equal((await http(a.url, 'PUT', '/v1/kv/reject/once', { value: 'third' })).status, 422);
    return (await reads()).map((r) => [r.value, r.conflict]);
  };

  it('write-once-keeps-latest: both regions end with the later first write', async () => {
    assert.deepEqual(await concurrentFirstWrites(['write-once-keeps-latest']), [['second', true], ['second', true]]);
  });

  it('without write-once-keeps-latest both regions keep the earlier first write, flagged as a conflict', async () => {
    assert.deepEqual(await concurrentFirstWrites([]), [['first', true], ['first', true]]);
  });

  it('hot-cache-kept-on-write: a hot read after a local write\'s ack shows the value cached before it', async () => {
    cluster = await Cluster.start(['us-east'], { bugs: ['hot-cache-kept-on-write'] });
    const { url } = cluster.nodes[0];
    assert.equal((await http(url, 'PUT', '/v1/kv/hot/kept', { value: 'a' })).status, 200);
    assert.equal((await http(url, 'GET', '/v1/kv/hot/kept')).body.value, 'a');
    assert.equal((await http(url, 'PUT', '/v1/kv/hot/kept', { value: 'b' })).status, 200);
    assert.equal((await http(url, 'GET', '/v1/kv/hot/kept')).body.value, 'a');
  });

  /** The dots of 1,100 acknowledged writes to one region (1,000 dots are reserved at a time): the first block and part of the next. */
  const dotsOfWrites = async (bugs: BugSwitch[]): Promise<number[]> => {
    cluster = await Cluster.start(['us-east'], { bugs });
    const { url } = cluster.nodes[0];
    const dots: number[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let i = next++; i < 1100; i = next++) {
        const r = await http(url, 'PUT', `/v1/kv/dots/${i % 40}`, { value: i });
        assert.equal(r.status, 200);
        dots.push(r.body.dot[1]);
      }
    }));
    return dots;
  };

  it('dot-block-overlap: the last dot of one reserved block is handed out again as the first of the next', async () => {
    const dots = await dotsOfWrites(['dot-block-overlap']);
    const twice = [...new Set(dots.filter((d, i) => dots.indexOf(d) !== i))];
    assert.deepEqual(twice, [1000]);
  });

  it('without dot-block-overlap every write gets a dot of its own', async () => {
    const dots = await dotsOfWrites([]);
    assert.equal(new Set(dots).size, 1100);
  });

  it('quorum-off-by-one: a region whose two peers are down still claims quorum and marks nothing it takes', async () => {
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south'], { bugs: ['quorum-off-by-one'] });
    const [a, b, c] = cluster.nodes;
    await eventually(async () => (await http(a.url, 'GET', '/health')).body.quorum === true);
    await b.kill();
    await c.kill();
    await eventually(async () => Object.values((await http(a.url, 'GET', '/health')).body.peers as Record<string, { up: boolean }>).every((p) => !p.up));
    assert.equal((await http(a.url, 'GET', '/health')).body.degraded, false);
    const w = await http(a.url, 'PUT', '/v1/kv/alone', { value: 'x' });
    assert.equal(w.status, 200);
    assert.equal(w.body.conflictMarker, undefined);
  });
});
