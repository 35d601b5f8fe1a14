import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseRunSpec } from '../../../harness/cli/run.ts';
import { parseShard } from '../../../harness/cli/suite.ts';
import { CliError } from '../../../harness/cli/exit-codes.ts';
import { planSuite, projectArgs, shardOf } from '../../../harness/suite/plan.ts';
import { rerunCommand } from '../../../harness/cli/rerun.ts';
import type { RiftConfig } from '../../../harness/suite/config.ts';

const config: RiftConfig = {
  projects: [
    { name: 'a', workload: 'set', faults: [], regions: ['us-east'], time: { limitS: 7, settleS: 1, opTimeoutMs: 5000, checkBudgetS: 90 }, load: { rate: 20, keyPrefix: 'set/x-' }, seeds: [1, 2] },
    { name: 'b', target: 'etcd', targetOptions: { reads: 'serializable' }, workload: 'register', seeds: { random: 3 }, gates: { minRate: 4 } },
  ],
  suites: { fixed: { projects: ['b', 'a'], seeds: [9], gates: { availabilityOutside: 0.5 } }, own: { projects: ['a', 'b'] } },
};

describe('suite planning and sharding', () => {
  it('a project becomes exactly the rift run it describes', () => {
    const spec = parseRunSpec([...projectArgs(config.projects[0], 42, ['skip-version-check']), '--store', '/tmp/x']);
    assert.equal(spec.name, 'a');
    assert.equal(spec.workload, 'set');
    assert.deepEqual(spec.faults, []);
    assert.deepEqual(spec.regions, ['us-east']);
    assert.equal(spec.timeLimitS, 7);
    assert.equal(spec.settleS, 1);
    assert.equal(spec.opTimeoutMs, 5000);
    assert.equal(spec.checkBudgetS, 90);
    assert.equal(spec.rate, 20);
    assert.equal(spec.keyPrefix, 'set/x-');
    assert.equal(spec.seed, 42);
    assert.deepEqual(spec.bugs, ['skip-version-check']);
    const etcd = parseRunSpec([...projectArgs(config.projects[1], 1, ['skip-version-check']), '--store', '/tmp/x']);
    assert.deepEqual(etcd.targetOptions, { reads: 'serializable' });
    assert.deepEqual(etcd.bugs, [], 'bug switches are the layer\'s: other targets run without them');
  });

  it('suite seeds replace the projects\', projects keep theirs otherwise, and suite gates win over project gates', () => {
    const fixed = planSuite(config, config.suites.fixed);
    assert.deepEqual(fixed.map((r) => [r.project, r.seed]), [['b', 9], ['a', 9]]);
    assert.deepEqual(fixed[0].gates, { contract: true, faultCoverage: true, minRate: 4, availabilityOutside: 0.5 });
    let n = 0;
    const own = planSuite(config, config.suites.own, { random: () => (n++ % 10) / 10 });
    assert.deepEqual(own.map((r) => r.project), ['a', 'a', 'b', 'b', 'b']);
    assert.deepEqual(own.slice(0, 2).map((r) => r.seed), [1, 2]);
    assert.equal(new Set(own.slice(2).map((r) => r.seed)).size, 3, 'fresh seeds differ');
  });

  it('shards partition the runs: each run in exactly one shard, sizes within one', () => {
    fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (runs, count) => {
      const shards = Array.from({ length: count }, (_, i) => shardOf(runs.map((r, j) => [j, r]), i + 1, count));
      const all = shards.flat().map(([j]) => j).sort((x, y) => x - y);
      assert.deepEqual(all, runs.map((_, j) => j));
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }));
  });

  it('--shard is I/N with 1 <= I <= N', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3']) assert.throws(() => parseShard(bad), CliError, bad);
  });

  it('the rerun command quotes what a shell would split', () => {
    assert.equal(rerunCommand(['--seed', '3', '--key-prefix', 'critical/x-']), 'npx rift run --seed 3 --key-prefix critical/x-');
    assert.equal(rerunCommand(['--name', "it's here"]), `npx rift run --name 'it'\\''s here'`);
  });
});
