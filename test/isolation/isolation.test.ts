import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalTarget } from '../../harness/targets/local/target.ts';
import { peerLink } from '../../harness/core/target.ts';
import { netnsUnavailableReason, type Isolation } from '../../harness/isolation/probe.ts';
import { readResources } from '../../harness/isolation/netns.ts';

const REACH = fileURLToPath(new URL('./reach.mjs', import.meta.url));
const netnsMissing = netnsUnavailableReason();

const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

/**
 * What a region can reach: from inside region a, dial region b's Redis and node directly, then b's node through
 * the Toxiproxy link peer:a->b, then the same link cut. netns must refuse the direct dials; process isolation
 * lets them through (it is bypassable, and documented as such).
 */
for (const isolation of ['netns', 'process'] as Isolation[]) {
  describe(`isolation ${isolation}: what a region can reach (real Redis, layer nodes, Toxiproxy)`, function () {
    this.timeout(120_000);
    let root: string;
    let target: LocalTarget | undefined;

    before(async function () {
      if (isolation === 'netns' && netnsMissing) {
        console.log(`      skipped: ${netnsMissing}`);
        this.skip();
      }
      root = mkdtempSync(join(tmpdir(), `rift-iso-${isolation}-`));
      target = new LocalTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions: ['a', 'b'], isolation, seed: 3 });
      await target.setup();
    });

    after(async () => {
      await target?.teardown();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const reach = async (args: string[]) => {
      const { stdout } = await target!.execInRegion('a', process.execPath, [REACH, ...args]);
      return JSON.parse(stdout) as { ok: boolean; detail: string };
    };

    it(`dialling region b's Redis directly from region a ${isolation === 'netns' ? 'fails' : 'succeeds (bypass)'}`, async () => {
      const redis = target!.redisEndpoint('b');
      const r = await reach(['redis', redis.host, String(redis.port), redis.password]);
      assert.equal(r.ok, isolation === 'process', JSON.stringify(r));
      if (isolation === 'netns') assert.match(r.detail, /ENETUNREACH|EHOSTUNREACH|timeout/);
    });

    it(`dialling region b's node directly from region a ${isolation === 'netns' ? 'fails' : 'succeeds (bypass)'}`, async () => {
      const node = target!.nodeEndpoint('b');
      const r = await reach(['http', node.host, String(node.port)]);
      assert.equal(r.ok, isolation === 'process', JSON.stringify(r));
    });

    it('the same dial through Toxiproxy (peer:a->b) succeeds, and a partition cuts it', async () => {
      const via = target!.network.address(peerLink('a', 'b'));
      assert.equal((await reach(['http', via.host, String(via.port)])).ok, true);
      await target!.network.cut([peerLink('a', 'b')], 'clean');
      try {
        const cut = await reach(['http', via.host, String(via.port)]);
        assert.equal(cut.ok, false, JSON.stringify(cut));
      } finally {
        await target!.network.heal();
      }
      assert.equal((await reach(['http', via.host, String(via.port)])).ok, true);
    });

    if (isolation === 'netns') {
      it('a kill takes every process of the region; restart brings it back on the same address', async () => {
        const before = target!.nodeEndpoint('b');
        await target!.kill('b');
        assert.equal((await reach(['http', before.host, String(before.port)])).ok, false);
        const ns = readResources(join(root, 'netns.jsonl')).find((r) => r.ns.endsWith('-b'))!;
        assert.equal(execFileSync('ip', ['netns', 'pids', ns.ns], { encoding: 'utf8' }).trim(), '', 'processes survived the kill');
        await target!.restart('b');
        assert.deepEqual(target!.nodeEndpoint('b'), before);
        const via = target!.network.address(peerLink('a', 'b'));
        assert.equal((await reach(['http', via.host, String(via.port)])).ok, true);
      });

      it('pause stops every process of the region, resume continues them (and their nsenter launchers)', async () => {
        const ns = readResources(join(root, 'netns.jsonl')).find((r) => r.ns.endsWith('-b'))!;
        const inNetns = () => execFileSync('ip', ['netns', 'pids', ns.ns], { encoding: 'utf8' }).trim().split(/\s+/);
        const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8');
        const state = (pid: string) => stat(pid).slice(stat(pid).lastIndexOf(')') + 2)[0];
        const comm = (pid: string) => stat(pid).slice(stat(pid).indexOf('(') + 1, stat(pid).lastIndexOf(')'));
        const init = inNetns().find((p) => comm(p) === 'sleep')!;
        const pidNs = readlinkSync(`/proc/${init}/ns/pid`);
        const region = () => inNetns().filter((p) => readlinkSync(`/proc/${p}/ns/pid`) === pidNs);
        await target!.pause('b');
        const members = region();
        assert.deepEqual(members.map(comm).sort(), ['node', 'redis-server', 'sleep'], 'init, Redis and the node are the region');
        assert.deepEqual(members.map(state), ['T', 'T', 'T']);
        await target!.resume('b');
        assert.deepEqual(inNetns().filter((p) => state(p) === 'T').map(comm), []);
      });

      it("a region sees its own data directory and not the other region's", async () => {
        const own = await target!.execInRegion('a', 'ls', [join(root, 'data', 'a')]);
        assert.equal(own.code, 0);
        assert.ok(readdirSync(join(root, 'data', 'b')).length > 0, "b's Redis wrote nothing to its data dir");
        // ip netns exec gives only the network namespace; the mount namespace is the node's, so look through its init.
        const init = execFileSync('ip', ['netns', 'pids', readResources(join(root, 'netns.jsonl')).find((r) => r.ns.endsWith('-a'))!.ns], { encoding: 'utf8' }).trim().split(/\s+/).map(Number).sort((x, y) => x - y)[0];
        const other = execFileSync('nsenter', ['--target', String(init), '--mount', '--', 'ls', '-A', join(root, 'data', 'b')], { encoding: 'utf8' });
        assert.equal(other.trim(), '');
      });

      it('teardown removes every namespace and link it made', async () => {
        const made = readResources(join(root, 'netns.jsonl'));
        assert.equal(made.length, 2);
        await target!.teardown();
        target = undefined;
        const left = namespaces();
        for (const r of made) assert.ok(!left.includes(r.ns), `${r.ns} left behind`);
        const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
        for (const r of made) assert.ok(!links.includes(r.hostIf), `${r.hostIf} left behind`);
      });
    }
  });
}
