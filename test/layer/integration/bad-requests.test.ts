import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { Cluster, http } from '../support/layer-process.ts';

/** Acceptance: bad requests get a 4xx with a message and never crash the node. */
describe('layer rejects bad requests with 4xx and keeps serving', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let url: string;

  before(async () => {
    cluster = await Cluster.start(['us-east', 'eu-west']);
    url = cluster.nodes[0].url;
  });
  after(async () => {
    await cluster?.dispose();
  });

  const cases: [string, string, string, unknown, number, string][] = [
    ['malformed JSON', 'PUT', '/v1/kv/a', '{"value": ', 400, 'bad-request'],
    ['a JSON array body', 'PUT', '/v1/kv/a', '[1,2]', 400, 'bad-request'],
    ['an empty body', 'PUT', '/v1/kv/a', '', 400, 'bad-request'],
    ['a missing value', 'PUT', '/v1/kv/a', { nothing: 1 }, 400, 'bad-request'],
    ['an oversized key', 'PUT', `/v1/kv/${'k'.repeat(300)}`, { value: 1 }, 413, 'too-large'],
    ['an oversized value', 'PUT', '/v1/kv/a', { value: 'v'.repeat(70_000) }, 413, 'too-large'],
    ['a huge body', 'PUT', '/v1/kv/a', { value: 'v'.repeat(2_000_000) }, 413, 'too-large'],
    ['incr on a register key', 'POST', '/v1/kv/plain/incr', { delta: 1 }, 422, 'wrong-type'],
    ['a fractional delta', 'POST', '/v1/kv/counter/x/incr', { delta: 0.5 }, 422, 'rejected'],
    ['a string delta', 'POST', '/v1/kv/counter/x/incr', { delta: '1' }, 400, 'bad-request'],
    ['add on a counter', 'POST', '/v1/kv/counter/x/add', { element: 1 }, 422, 'wrong-type'],
    ['an unknown key operation', 'POST', '/v1/kv/a/explode', {}, 404, 'not-found'],
    ['a map update without a field', 'POST', '/v1/kv/map/m/update', { type: 'pn-counter', op: { op: 'incr', delta: 1 } }, 400, 'bad-request'],
    ['a map update of an unknown type', 'POST', '/v1/kv/map/m/update', { field: 'f', type: 'heap', op: { op: 'incr', delta: 1 } }, 400, 'bad-request'],
    ['a nested map', 'POST', '/v1/kv/map/m/update', { field: 'f', type: 'map', op: { op: 'put', value: 1 } }, 400, 'bad-request'],
    ['a map update with an unknown operation', 'POST', '/v1/kv/map/m/update', { field: 'f', type: 'pn-counter', op: { op: 'zap' } }, 400, 'bad-request'],
    ['a map update the field\'s type refuses', 'POST', '/v1/kv/map/m/update', { field: 'f', type: 'pn-counter', op: { op: 'add', element: 1 } }, 422, 'wrong-type'],
    ['a map update on a register key', 'POST', '/v1/kv/plain/update', { field: 'f', type: 'pn-counter', op: { op: 'incr', delta: 1 } }, 422, 'wrong-type'],
    ['bad percent-encoding', 'GET', '/v1/kv/%E0%A4%A', undefined, 400, 'bad-request'],
    ['an unknown route', 'GET', '/nope', undefined, 404, 'not-found'],
    ['a txn with a bad micro-op', 'POST', '/v1/txn', { ops: [['zap', 'k', 1]] }, 400, 'bad-request'],
    ['a txn on a counter key', 'POST', '/v1/txn', { ops: [['w', 'counter/z', 1]] }, 422, 'wrong-type'],
    ['a txn append to a non-list', 'POST', '/v1/txn', { ops: [['w', 'tx/s', 'str'], ['append', 'tx/s', 1]] }, 422, 'wrong-type'],
    ['an empty txn', 'POST', '/v1/txn', { ops: [] }, 400, 'bad-request'],
    ['incr on a critical key', 'POST', '/v1/kv/critical/x/incr', { delta: 1 }, 422, 'wrong-type'],
    ['an unsigned replication batch', 'POST', '/internal/replicate', { origin: 'eu-west', entries: [] }, 401, 'bad-signature'],
    ['an unsigned paxos prepare', 'POST', '/internal/paxos/prepare', { key: 'critical/x', ballot: 1e12 }, 401, 'bad-signature'],
    ['a bad clock offset', 'POST', '/admin/clock', { offsetMs: 'soon' }, 400, 'bad-request'],
  ];

  for (const [name, method, path, body, status, error] of cases) {
    it(`${name} → ${status} ${error}`, async () => {
      const headers = path.startsWith('/admin') ? { 'x-rift-admin': 'test-admin' } : undefined;
      const r = await http(url, method, path, body, headers);
      assert.equal(r.status, status, r.text);
      assert.equal(r.body.error, error);
      assert.equal(typeof r.body.message, 'string');
      assert.ok(r.body.message.length > 5);
    });
  }

  it('a bad session token → 400', async () => {
    const r = await http(url, 'GET', '/v1/kv/a', undefined, { 'x-rift-session': '!!!' });
    assert.equal(r.status, 400);
  });

  it('a client that hangs up mid-body does not hurt the node', async () => {
    await new Promise<void>((resolve) => {
      const u = new URL(url);
      const req = request({ host: u.hostname, port: u.port, method: 'PUT', path: '/v1/kv/a', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"value": "abc');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
  });

  it('is still healthy and serving after all of that', async () => {
    const w = await http(url, 'PUT', '/v1/kv/after', { value: 'fine' });
    assert.equal(w.status, 200);
    assert.equal((await http(url, 'GET', '/v1/kv/after')).body.value, 'fine');
    assert.doesNotMatch(cluster.nodes[0].output, /fatal|unhandled/);
  });
});
