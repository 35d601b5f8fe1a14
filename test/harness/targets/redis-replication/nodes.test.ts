import { strict as assert } from 'node:assert';
import { nodeArgs, planNodes, replicationLinks } from '../../../../harness/targets/redis-replication/nodes.ts';
import { createRedisReplicationTarget } from '../../../../harness/targets/redis-replication/index.ts';
import { createEtcdTarget } from '../../../../harness/targets/etcd/index.ts';

describe('targets/redis-replication/nodes', () => {
  const nodes = planNodes(['a', 'b', 'c'], '/run/data', '/run/logs', [7001, 7002, 7003]);
  const dir = { root: '/run', logs: '/run/logs', data: '/run/data' };

  it('plans one node per region with its own data dir and log', () => {
    assert.deepEqual(nodes[1], { region: 'b', port: 7002, dataDir: '/run/data/redis-b', logFile: '/run/logs/redis-b.log' });
  });

  it('creates a client link per region and a directed peer link for every ordered pair, each to its target node', () => {
    const links = replicationLinks(nodes);
    assert.equal(links.length, 3 + 6);
    assert.deepEqual(links.find((l) => l.link === 'client:c'), { link: 'client:c', upstream: '127.0.0.1:7003' });
    assert.deepEqual(links.find((l) => l.link === 'peer:b->a'), { link: 'peer:b->a', upstream: '127.0.0.1:7001' });
    assert.deepEqual(links.find((l) => l.link === 'peer:a->c'), { link: 'peer:a->c', upstream: '127.0.0.1:7003' });
  });

  it('starts a replica pointed at the proxy it was given, the primary without --replicaof', () => {
    const primary = nodeArgs(nodes[0]);
    assert.ok(!primary.includes('--replicaof'));
    const replica = nodeArgs(nodes[1], { host: '127.0.0.1', port: 9999 });
    assert.deepEqual(replica.slice(replica.indexOf('--replicaof'), replica.indexOf('--replicaof') + 3), ['--replicaof', '127.0.0.1', '9999']);
    assert.equal(replica[replica.indexOf('--bind') + 1], '127.0.0.1');
    assert.equal(replica[replica.indexOf('--appendfsync') + 1], 'always');
  });

  it('rejects deployments it cannot make before starting anything', () => {
    assert.throws(() => createRedisReplicationTarget({ regions: ['solo'], dir }), /at least one replica/);
    assert.throws(() => createRedisReplicationTarget({ regions: ['a', 'a'], dir }), /repeat/);
    assert.throws(() => createRedisReplicationTarget({ regions: ['a', 'b->c'], dir }), /"b->c"/);
    assert.throws(() => createEtcdTarget({ regions: ['a', 'b,c'], dir }), /"b,c" is not a valid etcd member name/);
  });
});
