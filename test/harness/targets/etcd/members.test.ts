import { strict as assert } from 'node:assert';
import { healthUrl, memberArgs, planMembers } from '../../../../harness/targets/etcd/members.ts';

const ports = (i: number) => ({ client: 1000 + i, peer: 2000 + i, clientProxy: 3000 + i, peerProxy: 4000 + i });

describe('targets/etcd/members', () => {
  const members = planMembers(['a', 'b', 'c'], '/run/data', '/run/logs', [0, 1, 2].map(ports));
  const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

  it('gives every member its own data dir and log, named by region', () => {
    assert.deepEqual(members.map((m) => [m.region, m.dataDir, m.logFile]), [
      ['a', '/run/data/etcd-a', '/run/logs/etcd-a.log'],
      ['b', '/run/data/etcd-b', '/run/logs/etcd-b.log'],
      ['c', '/run/data/etcd-c', '/run/logs/etcd-c.log'],
    ]);
  });

  it('advertises the inbound peer proxy, listens directly, and shares one --initial-cluster', () => {
    const args = members.map((m) => memberArgs(m, members, 'tok'));
    assert.equal(flag(args[1], '--listen-peer-urls'), 'http://127.0.0.1:2001');
    assert.equal(flag(args[1], '--initial-advertise-peer-urls'), 'http://127.0.0.1:4001');
    assert.equal(flag(args[1], '--listen-client-urls'), 'http://127.0.0.1:1001');
    const clusters = new Set(args.map((a) => flag(a, '--initial-cluster')));
    assert.deepEqual([...clusters], ['a=http://127.0.0.1:4000,b=http://127.0.0.1:4001,c=http://127.0.0.1:4002']);
    assert.ok(args.every((a) => flag(a, '--initial-cluster-token') === 'tok'));
    assert.equal(healthUrl(members[2]), 'http://127.0.0.1:1002/health');
  });

  it('rejects region names etcd cannot take, repeats, and mismatched ports, saying which', () => {
    assert.throws(() => planMembers(['a=b'], '/d', '/l', [ports(0)]), /"a=b" is not a valid etcd member name/);
    assert.throws(() => planMembers(['a', 'a'], '/d', '/l', [ports(0), ports(1)]), /distinct/);
    assert.throws(() => planMembers(['a', 'b'], '/d', '/l', [ports(0)]), /2 regions but ports for 1/);
    assert.throws(() => planMembers([], '/d', '/l', []), /at least one region/);
  });
});
