import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

const decode = (token: string): Record<string, number> => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));

/** Critical-tier replies carry a version token and a session token that means the same as the normal tier's. */
describe('layer: version tokens and sessions across tiers (real redis-servers and nodes)', function () {
  this.timeout(90_000);
  let cluster: Cluster;
  // Critical keys live in eu-west; us-east → ap-south is the link the test cuts.
  const url = (region: string) => cluster.node(region).url;

  before(async () => {
    cluster = await Cluster.start(['ap-south', 'eu-west', 'us-east'], { proxied: true, extra: { placement: [{ prefix: 'critical/', region: 'eu-west' }] } });
    for (const r of ['ap-south', 'eu-west', 'us-east']) {
      await eventually(async () => (await http(url(r), 'GET', '/health')).body.ok === true, 10_000, `${r} healthy`);
    }
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('critical writes, reads and cas answer a version token in the key\'s write order', async () => {
    const key = '/v1/kv/critical/versioned';
    assert.equal((await http(url('ap-south'), 'GET', key)).body.version, null);
    const w1 = await http(url('us-east'), 'PUT', key, { value: 'a' });
    const w2 = await http(url('ap-south'), 'PUT', key, { value: 'b' });
    assert.equal(w1.status, 200, w1.text);
    assert.equal(w2.status, 200, w2.text);
    assert.ok(w1.body.version < w2.body.version, `${w1.body.version} < ${w2.body.version}`);
    const r = await http(url('us-east'), 'GET', key);
    assert.deepEqual([r.body.value, r.body.version], ['b', w2.body.version]);
    const cas = await http(url('eu-west'), 'POST', `${key}/cas`, { expected: 'b', value: 'c' });
    assert.deepEqual([cas.body.ok, cas.body.value], [true, 'c']);
    assert.ok(cas.body.version > w2.body.version);
    const lost = await http(url('us-east'), 'POST', `${key}/cas`, { expected: 'b', value: 'd' });
    assert.deepEqual([lost.body.ok, lost.body.value, lost.body.version], [false, 'c', cas.body.version]);
    for (const reply of [w1, w2, r, cas, lost]) assert.equal(typeof reply.body.session, 'string');
  });

  it('whoever reads a critical value then reads the normal writes its writer had seen; a session keeps its guarantees through critical ops', async () => {
    cluster.links.get('us-east>ap-south')!.setCut(true);
    try {
      // Session 1 writes a normal key in us-east, then a critical flag (home eu-west) with its token.
      const x = await http(url('us-east'), 'PUT', '/v1/kv/payload', { value: 'ready' });
      assert.equal(x.status, 200, x.text);
      const flag = await http(url('us-east'), 'PUT', '/v1/kv/critical/flag', { value: 'set' }, { 'x-rift-session': x.body.session });
      assert.equal(flag.status, 200, flag.text);
      assert.ok(decode(flag.body.session)['us-east'] >= decode(x.body.session)['us-east'], 'the critical reply keeps the normal write in the session');

      // Session 2 sees the flag in ap-south, which has not received the payload yet.
      const seen = await http(url('ap-south'), 'GET', '/v1/kv/critical/flag');
      assert.equal(seen.body.value, 'set');
      assert.ok(decode(seen.body.session)['us-east'] >= decode(x.body.session)['us-east'], 'the flag carries what its writer had seen');
      assert.equal((await http(url('ap-south'), 'GET', '/v1/kv/payload')).body.value, null, 'without a session, ap-south is stale');
      for (const token of [seen.body.session, flag.body.session]) {
        const stale = await http(url('ap-south'), 'GET', '/v1/kv/payload', undefined, { 'x-rift-session': token });
        assert.equal(stale.status, 503, stale.text);
        assert.equal(stale.body.error, 'session-unavailable');
      }
    } finally {
      cluster.links.get('us-east>ap-south')!.setCut(false);
    }
    const flag = await http(url('ap-south'), 'GET', '/v1/kv/critical/flag');
    await eventually(async () => {
      const r = await http(url('ap-south'), 'GET', '/v1/kv/payload', undefined, { 'x-rift-session': flag.body.session });
      return r.status === 200 && r.body.value === 'ready';
    }, 15_000, 'ap-south to serve the payload once it has it');
  });

  it('a later critical write still depends on what earlier writers had seen', async () => {
    const first = await http(url('us-east'), 'PUT', '/v1/kv/deps-src', { value: 1 });
    await http(url('us-east'), 'PUT', '/v1/kv/critical/chain', { value: 1 }, { 'x-rift-session': first.body.session });
    // A blind write from a session that saw nothing: the register's dependencies only grow.
    await http(url('ap-south'), 'PUT', '/v1/kv/critical/chain', { value: 2 });
    const r = await http(url('eu-west'), 'GET', '/v1/kv/critical/chain');
    assert.equal(r.body.value, 2);
    assert.ok(decode(r.body.session)['us-east'] >= decode(first.body.session)['us-east']);
  });

  it('a bad session token on a forwarded critical request gets 400', async () => {
    const r = await http(url('us-east'), 'GET', '/v1/kv/critical/flag', undefined, { 'x-rift-session': '!!!' });
    assert.equal(r.status, 400, r.text);
  });
});
