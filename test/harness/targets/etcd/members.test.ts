import { strict as assert } from 'node:assert';
import { dialAddress, healthUrl, memberArgs, memberHosts, planMembers } from '../../../../harness/targets/etcd/members.ts';

const ports = (i: number) => ({ client: 1000 + i, peer: 2000 + i, clientProxy: 3000 + i, advertisedPeer: 4000 + i });

describe('targets/etcd/members', () => {
  const members = planMembers(['a', 'b', 'c'], '/run/data', '/run/logs', '/run/hosts', [0, 1, 2].map(ports));
  const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

  it('gives every member its own data dir, log and hosts file, named by region', () => {
    assert.deepEqual(members.map((m) => [m.region, m.index, m.dataDir, m.logFile, m.hostsFile]), [
      ['a', 0, '/run/data/etcd-a', '/run/logs/etcd-a.log', '/run/hosts/etcd-a.hosts'],
      ['b', 1, '/run/data/etcd-b', '/run/logs/etcd-b.log', '/run/hosts/etcd-b.hosts'],
      ['c', 2, '/run/data/etcd-c', '/run/logs/etcd-c.log', '/run/hosts/etcd-c.hosts'],
    ]);
  });

  it('advertises a peer host name, listens directly, and shares one --initial-cluster', () => {
    const args = members.map((m) => memberArgs(m, members, 'tok'));
    assert.equal(flag(args[1], '--listen-peer-urls'), 'http://127.0.0.1:2001');
    assert.equal(flag(args[1], '--initial-advertise-peer-urls'), 'http://b.etcd.rift:4001');
    assert.equal(flag(args[1], '--listen-client-urls'), 'http://127.0.0.1:1001');
    assert.equal(flag(args[1], '--advertise-client-urls'), 'http://127.0.0.1:3001');
    const clusters = new Set(args.map((a) => flag(a, '--initial-cluster')));
    assert.deepEqual([...clusters], ['a=http://a.etcd.rift:4000,b=http://b.etcd.rift:4001,c=http://c.etcd.rift:4002']);
    assert.ok(args.every((a) => flag(a, '--initial-cluster-token') === 'tok'));
    assert.equal(healthUrl(members[2]), 'http://127.0.0.1:1002/health');
  });

  it('each member resolves every other member to the proxy of that ordered pair, and keeps the machine\'s entries', () => {
    const [a, b, c] = members;
    assert.equal(dialAddress(a, b), '127.77.1.2');
    assert.equal(dialAddress(c, b), '127.77.3.2');
    const hosts = memberHosts(a, members, '127.0.0.1 localhost\n::1 localhost');
    assert.equal(hosts, '127.0.0.1 localhost\n::1 localhost\n# rift: peer names as member a resolves them\n127.0.0.1 a.etcd.rift\n127.77.1.2 b.etcd.rift\n127.77.1.3 c.etcd.rift\n');
    const all = members.flatMap((x) => members.filter((y) => y !== x).map((y) => dialAddress(x, y)));
    assert.equal(new Set(all).size, 6, 'one address per ordered pair');
  });

  it('rejects region names etcd or a host name cannot take, repeats, and mismatched ports, saying which', () => {
    for (const bad of ['a=b', 'a_b', 'a.b', '-a', 'a-']) {
      assert.throws(() => planMembers([bad], '/d', '/l', '/h', [ports(0)]), new RegExp(`"${bad.replace('.', '\\.')}" is not a valid etcd member name`));
    }
    assert.throws(() => planMembers(['a', 'a'], '/d', '/l', '/h', [ports(0), ports(1)]), /distinct/);
    assert.throws(() => planMembers(['a', 'b'], '/d', '/l', '/h', [ports(0)]), /2 regions but ports for 1/);
    assert.throws(() => planMembers([], '/d', '/l', '/h', []), /at least one region/);
  });
});
