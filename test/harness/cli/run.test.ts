import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRunSpec } from '../../../harness/cli/run.ts';

const RIFT = resolve('bin/rift.mjs');

/** Usage errors of `rift run` are found before anything is deployed: exit 64, one line, no run directory. */
describe('rift run (CLI usage)', function () {
  this.timeout(60_000);
  let store: string;
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'rift-usage-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  const cases: [string, string[], RegExp][] = [
    ['an unknown fault', ['--nemesis', 'meteor'], /--nemesis: unknown fault "meteor"/],
    ['an unknown target', ['--target', 'mongo'], /unknown target "mongo"/],
    ['an unknown workload', ['--workload', 'queue'], /unknown workload "queue"/],
    ['a workload the target does not run', ['--target', 'etcd', '--workload', 'counter'], /target "etcd" does not run workload "counter"; it runs register, cas-register, list-append, rw-register/],
    ['bug switches on a system that is not the layer', ['--target', 'etcd', '--workload', 'register', '--bugs', 'ack-before-write'], /apply to --target local only/],
    ['a negative rate', ['--rate=-3'], /--rate must be a number/],
    ['duplicate regions', ['--regions', 'a,a'], /distinct regions/],
    ['an unknown flag', ['--frobnicate'], /frobnicate/],
    ['an option the target does not have', ['--target', 'etcd', '--workload', 'register', '--target-option', 'colour=blue'], /target "etcd" has no option "colour"; its options: reads/],
    ['a value the option does not take', ['--target', 'etcd', '--workload', 'register', '--target-option', 'reads=sometimes'], /--target-option reads: "sometimes" is not one of linearizable, serializable/],
    ['an option the target does not have', ['--target-option', 'reads=serializable'], /target "local" has no option "reads"; its options: batches, proposers/],
    ['a target option that is not NAME=VALUE', ['--target-option', 'reads'], /--target-option: "reads" is not NAME=VALUE/],
    ['a max-down of zero', ['--max-down', '0'], /--max-down must be an integer >= 1/],
    ['a minority of two regions', ['--regions', 'a,b', '--max-down', 'minority'], /--max-down minority: 2 regions have no minority/],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what}`, () => {
      const r = spawnSync(process.execPath, [RIFT, 'run', ...args, '--store', store], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 64, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(existsSync(join(store, 'latest')), false, 'nothing was deployed');
    });
  }

  it('defaults to the run the README describes', () => {
    const spec = parseRunSpec(['--store', store]);
    assert.equal(spec.target, 'local');
    assert.equal(spec.workload, 'register');
    assert.deepEqual(spec.faults, ['partition-isolate', 'kill']);
    assert.deepEqual(spec.regions, ['us-east', 'eu-west', 'ap-south']);
    assert.equal(spec.concurrency, 6);
    assert.equal(spec.maxDown, undefined, 'all but one region may be down');
  });

  it('expands the critical preset into the fault names it stands for', () => {
    assert.deepEqual(parseRunSpec(['--nemesis', 'critical']).faults, ['partition-ring', 'partition-bridge', 'failpoint-paxos', 'kill']);
    assert.deepEqual(parseRunSpec(['--target-option', 'proposers=any']).targetOptions, { proposers: 'any' });
  });

  it('reads --max-down as a number or as the minority of the regions', () => {
    assert.equal(parseRunSpec(['--max-down', '2']).maxDown, 2);
    assert.equal(parseRunSpec(['--max-down', 'minority']).maxDown, 1);
    assert.equal(parseRunSpec(['--max-down', 'minority', '--regions', 'a,b,c,d,e']).maxDown, 2);
  });
});
