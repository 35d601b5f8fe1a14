import { strict as assert } from 'node:assert';
import { Cluster, eventually, http, settledValue } from '../support/layer-process.ts';

describe('layer tiers and data types (3 real regions)', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  const url = (i: number) => cluster.nodes[i].url;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west', 'ap-south']);
    await eventually(async () => (await http(url(0), 'GET', '/health')).body.quorum === true, 10_000, 'quorum');
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('pn-counter: concurrent increments in every region all count', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => http(url(i % 3), 'POST', '/v1/kv/counter/c1/incr', { delta: i % 2 === 0 ? 2 : -1 })),
    ).then((rs) => rs.forEach((r) => assert.equal(r.status, 200, r.text)));
    for (let i = 0; i < 3; i++) {
      await eventually(async () => (await http(url(i), 'GET', '/v1/kv/counter/c1')).body.value === 15, 10_000, `counter in region ${i}`);
    }
  });

  it('or-set: adds and removes converge, add wins over a concurrent remove', async () => {
    assert.equal((await http(url(0), 'POST', '/v1/kv/set/s1/add', { element: 'a' })).status, 200);
    assert.equal((await http(url(1), 'POST', '/v1/kv/set/s1/add', { element: 'b' })).status, 200);
    await eventually(async () => {
      const v = (await http(url(2), 'GET', '/v1/kv/set/s1')).body.value;
      return Array.isArray(v) && v.length === 2;
    });
    assert.equal((await http(url(2), 'POST', '/v1/kv/set/s1/remove', { element: 'a' })).status, 200);
    for (let i = 0; i < 3; i++) {
      await eventually(async () => JSON.stringify((await http(url(i), 'GET', '/v1/kv/set/s1')).body.value) === '["b"]', 10_000, `set in ${i}`);
    }
  });

  it('mv-register: concurrent writes in two regions are all kept, flagged as a conflict, in every region', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => Promise.all([http(url(0), 'PUT', `/v1/kv/mvreg/m${i}`, { value: `a${i}` }), http(url(1), 'PUT', `/v1/kv/mvreg/m${i}`, { value: `b${i}` })])),
    );
    let concurrent = 0;
    for (let i = 0; i < 10; i++) {
      let seen: { value: unknown; conflict?: boolean; session?: string }[] = [];
      await eventually(async () => {
        seen = (await Promise.all([0, 1, 2].map((r) => http(url(r), 'GET', `/v1/kv/mvreg/m${i}`)))).map((r) => r.body);
        return seen.every((b) => JSON.stringify(b) === JSON.stringify({ ...seen[0], session: b.session }));
      }, 10_000, `mvreg/m${i} identical in every region`);
      const v = seen[0].value as string[];
      if (v.length === 2) {
        concurrent++;
        assert.equal(seen[0].conflict, true);
        assert.deepEqual([...v].sort(), [`a${i}`, `b${i}`]);
      } else {
        assert.equal(v.length, 1);
      }
    }
    assert.ok(concurrent > 0, 'no write pair was concurrent');
  });

  it('wrong operation for the key type is 422', async () => {
    const r = await http(url(0), 'POST', '/v1/kv/plain/incr', { delta: 1 });
    assert.equal(r.status, 422);
    assert.equal(r.body.error, 'wrong-type');
    const s = await http(url(0), 'POST', '/v1/kv/counter/x/add', { element: 1 });
    assert.equal(s.status, 422);
  });

  it('normal-tier cas applies only when the expected value matches', async () => {
    assert.equal((await http(url(0), 'PUT', '/v1/kv/reg1', { value: 1 })).status, 200);
    const good = await http(url(0), 'POST', '/v1/kv/reg1/cas', { expected: 1, value: 2 });
    assert.equal(good.body.ok, true);
    assert.equal(good.body.value, 2);
    const bad = await http(url(0), 'POST', '/v1/kv/reg1/cas', { expected: 1, value: 3 });
    assert.equal(bad.body.ok, false);
    assert.equal(bad.body.value, 2);
  });

  it('sessions: read-your-writes in another region, or a clear 503, never a stale read', async () => {
    for (let i = 0; i < 10; i++) {
      const w = await http(url(0), 'PUT', '/v1/kv/sess', { value: i });
      assert.equal(w.status, 200);
      const r = await http(url(1 + (i % 2)), 'GET', '/v1/kv/sess', undefined, { 'x-rift-session': w.body.session });
      if (r.status === 200) assert.equal(r.body.value, i);
      else assert.equal(r.body.error, 'session-unavailable');
    }
    // Monotonic writes across regions: each write's version exceeds the session's previous one.
    let session: string | undefined;
    let last = '';
    for (let i = 0; i < 9; i++) {
      const w = await http(url(i % 3), 'PUT', '/v1/kv/mw', { value: i }, session ? { 'x-rift-session': session } : {});
      assert.equal(w.status, 200, w.text);
      assert.ok(w.body.version > last, `write ${i} version ${w.body.version} not after ${last}`);
      last = w.body.version;
      session = w.body.session;
    }
    for (let i = 0; i < 3; i++) await eventually(async () => (await http(url(i), 'GET', '/v1/kv/mw')).body.value === 8, 10_000, 'last write wins');
    const bad = await http(url(0), 'GET', '/v1/kv/sess', undefined, { 'x-rift-session': 'not-a-token' });
    assert.equal(bad.status, 400);
  });

  it('txn: micro-ops apply atomically and replicate as a unit', async () => {
    const t = await http(url(0), 'POST', '/v1/txn', { ops: [['append', 'list/a', 1], ['append', 'list/b', 1], ['r', 'list/a', null]] });
    assert.equal(t.status, 200, t.text);
    assert.deepEqual(t.body.ops, [['append', 'list/a', 1], ['append', 'list/b', 1], ['r', 'list/a', [1]]]);
    const t2 = await http(url(0), 'POST', '/v1/txn', { ops: [['append', 'list/a', 2], ['w', 'reg/x', 'v'], ['r', 'reg/x', null]] });
    assert.deepEqual(t2.body.ops[2], ['r', 'reg/x', 'v']);
    await eventually(async () => {
      const r = await http(url(2), 'POST', '/v1/txn', { ops: [['r', 'list/a', null], ['r', 'list/b', null]] });
      return JSON.stringify(r.body.ops) === JSON.stringify([['r', 'list/a', [1, 2]], ['r', 'list/b', [1]]]);
    }, 10_000, 'txn replicated');
  });

  it('txn: concurrent two-key appends from every region are serialized (one transaction home)', async () => {
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        for (let n = 0; n < 15; n++) {
          const ops = n % 2 ? [['append', 'list/p', `${i}-${n}`], ['append', 'list/q', `${i}-${n}`]] : [['append', 'list/q', `${i}-${n}`], ['append', 'list/p', `${i}-${n}`]];
          const r = await http(url(i), 'POST', '/v1/txn', { ops });
          assert.equal(r.status, 200, r.text);
        }
      }),
    );
    const r = await http(url(1), 'POST', '/v1/txn', { ops: [['r', 'list/p', null], ['r', 'list/q', null]] });
    const [p, q] = [r.body.ops[0][2], r.body.ops[1][2]];
    assert.equal(p.length, 45, 'no append lost');
    assert.deepEqual(p, q, 'both keys saw the transactions in the same order');
  });

  it('critical tier: concurrent cas increments from every region are linearizable (no lost or duplicated update)', async () => {
    const key = '/v1/kv/critical/ctr';
    assert.equal((await http(url(0), 'PUT', key, { value: 0 })).status, 200);
    let successes = 0;
    let unknown = 0;
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        for (let n = 0; n < 8; n++) {
          const cur = await http(url(i), 'GET', key);
          if (cur.status !== 200) continue;
          const r = await http(url(i), 'POST', `${key}/cas`, { expected: cur.body.value, value: cur.body.value + 1 });
          if (r.status === 200 && r.body.ok) successes++;
          else if (r.status === 200) assert.equal(r.body.ok, false);
          else if (r.status === 500 || r.status === 504) unknown++;
          else assert.ok([409, 503].includes(r.status), r.text);
        }
      }),
    );
    assert.ok(successes > 0);
    // An indeterminate cas may or may not have taken effect; every read in every region agrees either way.
    const finals = await Promise.all([0, 1, 2].map((i) => settledValue(url(i), key) as Promise<number>));
    assert.equal(new Set(finals).size, 1, JSON.stringify(finals));
    assert.ok(finals[0] >= successes && finals[0] <= successes + unknown, `final ${finals[0]}, ok ${successes}, unknown ${unknown}`);
  });

  it('hot tier: reads are served from the cache within the staleness bound', async () => {
    assert.equal((await http(url(0), 'PUT', '/v1/kv/hot/h1', { value: 'a' })).status, 200);
    assert.equal((await http(url(0), 'GET', '/v1/kv/hot/h1')).body.value, 'a');
    assert.equal((await http(url(0), 'GET', '/v1/kv/hot/h1')).body.value, 'a');
    const metrics = (await http(url(0), 'GET', '/metrics')).text;
    assert.match(metrics, /rift_hot_cache_lookups\{result="hit"\} [1-9]/);
    assert.equal((await http(url(0), 'PUT', '/v1/kv/hot/h1', { value: 'b' })).status, 200);
    assert.equal((await http(url(0), 'GET', '/v1/kv/hot/h1')).body.value, 'b', 'a local write invalidates the cache');
  });

  it('hot tier: a read begun after a write\'s ack shows it, even with reads loading the key while it committed', async () => {
    for (let i = 1; i <= 40; i++) {
      const racing = Array.from({ length: 6 }, () => http(url(0), 'GET', '/v1/kv/hot/race'));
      assert.equal((await http(url(0), 'PUT', '/v1/kv/hot/race', { value: i })).status, 200);
      assert.equal((await http(url(0), 'GET', '/v1/kv/hot/race')).body.value, i, `round ${i}`);
      await Promise.all(racing);
    }
  });
});
