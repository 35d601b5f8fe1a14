import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseRunSpec } from '../../../harness/cli/run.ts';
import { rerunCommand, runArgs } from '../../../harness/cli/rerun.ts';

/** Drops where a run is stored: a rerun command is meant for any clone, so it leaves that out. */
const portable = (argv: string[]) => {
  const { storeDir: _s, name: _n, ...rest } = parseRunSpec(argv);
  return rest;
};

describe('rerun command (harness/cli/rerun.ts)', () => {
  it('gives back the very run: parsing runArgs(spec) yields the same spec, defaults and seed included', () => {
    const options = fc.record({
      workload: fc.constantFrom('tiers', 'register', 'set', 'counter', 'session'),
      nemesis: fc.constantFrom('none', 'partition-isolate,kill', 'partition,clock-skew', 'critical'),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      rate: fc.integer({ min: 1, max: 500 }),
      keyPrefix: fc.option(fc.constantFrom('critical/', 'set/x y/', "it's/"), { nil: undefined }),
      bugs: fc.constantFrom([], ['ack-before-write'], ['ignore-gap', 'tie-break-local']),
      targetOption: fc.option(fc.constantFrom('proposers=any', 'batches=small'), { nil: undefined }),
    });
    fc.assert(fc.property(options, (o) => {
      // An explicit isolation: the default one is probed on the machine, which is not what this test is about.
      const argv = ['--isolation', 'process', '--workload', o.workload, '--nemesis', o.nemesis, '--seed', String(o.seed), '--rate', String(o.rate)];
      if (o.keyPrefix !== undefined) argv.push('--key-prefix', o.keyPrefix);
      if (o.bugs.length) argv.push('--bugs', o.bugs.join(','));
      if (o.targetOption !== undefined) argv.push('--target-option', o.targetOption);
      const spec = parseRunSpec(argv);
      assert.deepEqual(portable(runArgs(spec)), portable(argv));
    }), { seed: 7, numRuns: 200 });
  });

  it('quotes only the words a shell would split or expand', () => {
    assert.equal(rerunCommand(['--seed', '3', '--key-prefix', "it's here/"]), `npx rift run --seed 3 --key-prefix 'it'\\''s here/'`);
  });
});
