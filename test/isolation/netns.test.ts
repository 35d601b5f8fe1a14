import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pickBlock, regionAddress, usedBlocks, MAX_NETNS_REGIONS } from '../../harness/isolation/addresses.ts';
import { createRegionNetwork, LinkTaken, regionNetworkNames, removeRegionNetwork, type RegionNetwork } from '../../harness/isolation/netns.ts';
import { netnsUnavailableReason } from '../../harness/isolation/probe.ts';

const netnsMissing = netnsUnavailableReason();
const ipOut = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });

describe('isolation/addresses', () => {
  it("gives every region of a block its own /30 inside 10.254.0.0/16, host end .4i+1 and namespace end .4i+2", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: MAX_NETNS_REGIONS - 1 }), fc.integer({ min: 0, max: MAX_NETNS_REGIONS - 1 }), (block, i, j) => {
      const a = regionAddress(block, i);
      const last = (s: string) => Number(s.split('.')[3]);
      assert.ok(a.hostSide.startsWith(`10.254.${block}.`) && a.inside.startsWith(`10.254.${block}.`));
      assert.equal(Math.floor(last(a.hostSide) / 4), Math.floor(last(a.inside) / 4), 'both ends in one /30');
      assert.deepEqual([last(a.hostSide) % 4, last(a.inside) % 4], [1, 2]);
      if (i !== j) assert.notEqual(Math.floor(last(a.inside) / 4), Math.floor(last(regionAddress(block, j).inside) / 4));
    }));
    assert.throws(() => regionAddress(0, MAX_NETNS_REGIONS), /region index/);
  });

  it('picks the first block no interface uses, from where it starts, wrapping around', () => {
    assert.equal(pickBlock(new Set([7, 8]), 7), 9);
    assert.equal(pickBlock(new Set([255]), 255), 0);
    assert.throws(() => pickBlock(new Set(Array.from({ length: 256 }, (_, i) => i)), 0), /rift clean/);
  });
});

describe('isolation/netns (real ip netns)', function () {
  this.timeout(30_000);
  let dir: string;
  const made: RegionNetwork[] = [];
  before(function () {
    if (netnsMissing) {
      console.log(`      skipped: ${netnsMissing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'rift-netns-'));
  });
  after(() => {
    for (const n of made) removeRegionNetwork(n);
    for (const n of made) execFileSync('sh', ['-c', `ip link del ${n.hostIf} 2>/dev/null || true`]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a link name taken by someone else is LinkTaken, leaves no namespace of ours, and the other link untouched', () => {
    const block = pickBlock(usedBlocks(), 200);
    const net: RegionNetwork = { ...regionNetworkNames('abcdef', 'x', block, 0), address: regionAddress(block, 0) };
    made.push(net);
    ipOut('link', 'add', net.hostIf, 'type', 'veth', 'peer', 'name', `${net.hostIf}p`);
    assert.throws(() => createRegionNetwork(net, join(dir, 'netns.jsonl')), LinkTaken);
    assert.ok(!ipOut('netns', 'list').includes(net.ns), 'our namespace was left behind');
    assert.match(ipOut('-o', 'link', 'show', net.hostIf), new RegExp(net.hostIf), "someone else's link was deleted");
  });

  it('makes a namespace whose only route is its /30, and removes it with its link, twice safely', () => {
    const block = pickBlock(usedBlocks(), 100);
    const net: RegionNetwork = { ...regionNetworkNames('fedcba', 'y', block, 1), address: regionAddress(block, 1) };
    made.push(net);
    createRegionNetwork(net, join(dir, 'netns.jsonl'));
    const routes = execFileSync('ip', ['-n', net.ns, '-4', 'route'], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(routes.map((r) => r.split(' ')[0]), [`10.254.${block}.4/30`], 'no default route, nothing but the /30');
    assert.equal(removeRegionNetwork(net), true);
    assert.equal(removeRegionNetwork(net), false);
    assert.ok(!ipOut('-o', 'link').includes(net.hostIf));
  });
});
