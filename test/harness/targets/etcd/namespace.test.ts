import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostsIsolation, withHostsFile } from '../../../../harness/targets/etcd/namespace.ts';

describe('targets/etcd/namespace (real unshare)', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-ns-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a command that resolves names through the given hosts file, while the machine\'s stays as it was', () => {
    const hosts = join(dir, 'a.hosts');
    writeFileSync(hosts, '127.0.0.1 localhost\n127.77.1.2 b.etcd.rift\n');
    checkHostsIsolation(hosts);
    const { command, args } = withHostsFile(hosts, 'getent', ['hosts', 'b.etcd.rift']);
    const inside = spawnSync(command, args, { encoding: 'utf8' });
    assert.equal(inside.status, 0, inside.stderr);
    assert.match(inside.stdout, /^127\.77\.1\.2\s+b\.etcd\.rift/);
    assert.notEqual(spawnSync('getent', ['hosts', 'b.etcd.rift'], { encoding: 'utf8' }).status, 0, 'the machine does not know the name');
  });

  it('keeps the pid it was spawned with, so signals to the process group reach the command', () => {
    const hosts = join(dir, 'b.hosts');
    writeFileSync(hosts, '127.0.0.1 localhost\n');
    const { command, args } = withHostsFile(hosts, 'sh', ['-c', 'echo $$']);
    const r = spawnSync('sh', ['-c', `${[command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} & echo $!; wait`], { encoding: 'utf8' });
    const [spawned, reported] = r.stdout.trim().split('\n');
    assert.equal(reported, spawned, r.stderr);
  });

  it('says what failed and what to change when the hosts file cannot be mounted', () => {
    assert.throws(() => checkHostsIsolation(join(dir, 'missing.hosts')), /its own \/etc\/hosts .* failed here: .*(No such file|mount).*unprivileged user namespaces/s);
  });
});
