import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from '../../../harness/cli/exit-codes.ts';
import { validateConfig } from '../../../harness/suite/validate.ts';
import { findConfig, loadConfig } from '../../../harness/suite/load.ts';

const good = () => ({
  projects: [
    { name: 'a', workload: 'set', faults: ['kill'], time: { limitS: 5 }, load: { rate: 50 }, seeds: [1, 2], gates: { convergenceP99S: 5 } },
    { name: 'b', target: 'etcd', workload: 'list-append', seeds: { random: 2 } },
  ],
  suites: { s: { projects: ['a', 'b'], gates: { availabilityOutside: 0.9 }, budgetS: 60 } },
});

/** The CliError a bad config raises: exit 65, the file and the field named. */
function refused(mutate: (c: any) => void, field: string, why?: RegExp): void {
  const c: any = good();
  mutate(c);
  assert.throws(() => validateConfig(c, 'cfg.ts'), (e: unknown) => {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.exitCode, EXIT.dataError);
    assert.ok(e.message.startsWith(`cfg.ts: ${field}: `), e.message);
    if (why) assert.match(e.message, why);
    return true;
  });
}

describe('suite config validation', () => {
  it('accepts a good config and returns it', () => {
    const c = good();
    assert.deepEqual(validateConfig(c, 'cfg.ts'), c);
  });

  it('names the field of each bad value, with exit 65', () => {
    refused((c) => { c.projects[0].load.rate = -1; }, 'projects[0].load.rate', />= 0.1/);
    refused((c) => { c.projects[0].time.limitS = 'ten'; }, 'projects[0].time.limitS');
    refused((c) => { c.projects[0].time.maxFaultSteps = 2.5; }, 'projects[0].time.maxFaultSteps', /integer from 1 to 1000/);
    refused((c) => { c.projects[0].timeLimit = 3; }, 'projects[0].timeLimit', /not a field/);
    refused((c) => { c.projects[0].name = 'Has Space'; }, 'projects[0].name');
    refused((c) => { c.projects[1].name = 'a'; }, 'projects[1].name', /another project/);
    refused((c) => { c.projects[0].target = 'mongo'; }, 'projects[0].target', /local, etcd/);
    refused((c) => { c.projects[1].workload = 'tiers'; }, 'projects[1].workload', /does not run/);
    refused((c) => { c.projects[0].faults = ['kil']; }, 'projects[0].faults', /unknown fault "kil"/);
    refused((c) => { c.projects[0].faults = ['failover']; }, 'projects[0].faults', /target "local" cannot inject "failover"/);
    refused((c) => { c.projects[0].regions = ['Bad Region']; }, 'projects[0].regions');
    refused((c) => { c.projects[1].targetOptions = { reads: 'stale' }; }, 'projects[1].targetOptions');
    refused((c) => { c.projects[0].seeds = []; }, 'projects[0].seeds');
    refused((c) => { c.projects[0].seeds = [1.5]; }, 'projects[0].seeds[0]');
    refused((c) => { c.projects[1].seeds = { random: 0 }; }, 'projects[1].seeds.random');
    refused((c) => { c.projects[0].gates.availabilityOutside = 1.5; }, 'projects[0].gates.availabilityOutside', /from 0 to 1/);
    refused((c) => { c.projects[0].gates.p99 = 1; }, 'projects[0].gates.p99', /not a field/);
    refused((c) => { c.suites.s.projects = ['a', 'zz']; }, 'suites.s.projects[1]', /not a project/);
    refused((c) => { c.suites.s.projects = []; }, 'suites.s.projects');
    refused((c) => { c.suites.s.budgetS = 0; }, 'suites.s.budgetS');
    refused((c) => { c.suites = {}; }, 'suites');
    refused((c) => { c.projects = []; }, 'projects');
  });

  describe('loading', () => {
    let dir: string;
    before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-cfg-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('imports a TypeScript config and validates it', async () => {
      const file = join(dir, 'rift.config.mts');
      writeFileSync(file, `const limitS: number = 5;\nexport default ${JSON.stringify(good()).replace('"limitS":5', '"limitS":limitS')};\n`);
      assert.equal(findConfig(undefined, dir), file);
      assert.equal((await loadConfig(file)).projects[0].time?.limitS, 5);
    });

    it('a config that does not load or has no default export is bad input (65); a missing one is a usage error (64)', async () => {
      const broken = join(dir, 'broken.mts');
      writeFileSync(broken, 'export default {;\n');
      await assert.rejects(loadConfig(broken), (e: CliError) => e.exitCode === EXIT.dataError && e.message.includes('does not load'));
      const none = join(dir, 'none.mts');
      writeFileSync(none, 'export const x = 1;\n');
      await assert.rejects(loadConfig(none), (e: CliError) => e.exitCode === EXIT.dataError && /no default export/.test(e.message));
      assert.throws(() => findConfig('nope.ts', dir), (e: CliError) => e.exitCode === EXIT.usage);
      assert.throws(() => findConfig(undefined, join(dir, 'empty')), (e: CliError) => e.exitCode === EXIT.usage && /rift\.config\.ts/.test(e.message));
    });
  });
});
