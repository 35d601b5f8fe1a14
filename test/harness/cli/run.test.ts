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
    ['a fault held for no step', ['--max-fault-steps', '0'], /--max-fault-steps must be an integer >= 1 and <= 1000 \(got "0"\)/],
    ['a minority of two regions', ['--regions', 'a,b', '--max-down', 'minority'], /--max-down minority: 2 regions have no minority/],
    ['a count for --regions', ['--regions', '0'], /--regions takes region names such as us-east,eu-west .*"0" is not one/],
    ['a concurrency no harness can drive', ['--concurrency', '100000'], /--concurrency must be an integer >= 1 and <= 1000 \(got "100000"\)/],
    ['a rate no harness can drive', ['--rate', '1e12'], /--rate must be a number >= 0.1 and <= 100000 \(got "1e12"\)/],
    ['a max-down of every region', ['--max-down', '5'], /--max-down must be an integer >= 1 and <= 2 \(got "5"\)/],
    ['a hexadecimal seed', ['--seed', '0x10'], /--seed must be an integer >= 0 and <= 4294967295 \(got "0x10"\)/],
    ['an empty seed', ['--seed', ''], /--seed must be an integer >= 0 and <= 4294967295 \(got ""\)/],
    ['a negative time limit, without parseArgs calling it ambiguous', ['--time-limit', '-1'], /--time-limit must be a number >= 1 and <= 86400 \(got "-1"\)/],
    ['an unknown bug switch', ['--bugs', 'ack-before-write,no-such-bug'], /--bugs: unknown bug switch "no-such-bug"; the layer's switches are skip-version-check, ack-before-write, .*session-write-no-wait/],
    ['a fault the local target cannot inject', ['--nemesis', 'kill,failover'], /--nemesis: target "local" cannot inject "failover"; its faults are partition, partition-isolate, .*failpoint-replication \(or none\)/],
    ['a fault etcd cannot inject', ['--target', 'etcd', '--nemesis', 'clock-skew'], /--nemesis: target "etcd" cannot inject "clock-skew"; its faults are partition, .*kill, pause \(or none\)/],
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
    assert.equal(spec.workload, 'tiers');
    assert.deepEqual(spec.faults, ['partition', 'kill', 'latency-wan-fast', 'clock-skew', 'clock-tie', 'failpoint'], 'the chaos preset: every fault the layer is judged under');
    assert.equal(spec.nemesisIntervalS, 2);
    assert.deepEqual(spec.regions, ['us-east', 'eu-west', 'ap-south']);
    assert.equal(spec.concurrency, 12);
    assert.equal(spec.rate, 250);
    assert.equal(spec.convergeTimeoutS, 30);
    assert.equal(spec.maxDown, 1, 'the default faults take down a minority at most');
    assert.equal(parseRunSpec(['--regions', 'a,b,c,d,e']).maxDown, 2);
    assert.equal(parseRunSpec(['--nemesis', 'kill']).maxDown, undefined, 'faults asked for may take down all but one region');
    const etcd = parseRunSpec(['--target', 'etcd', '--store', store]);
    assert.equal(etcd.maxDown, undefined);
    assert.deepEqual([etcd.workload, etcd.concurrency, etcd.rate], ['register', 6, 60], 'other targets keep the lighter default');
  });

  it('expands the critical preset into the fault names it stands for', () => {
    assert.deepEqual(parseRunSpec(['--nemesis', 'critical']).faults, ['partition-ring', 'partition-bridge', 'failpoint-paxos', 'kill']);
    assert.deepEqual(parseRunSpec(['--target-option', 'proposers=any']).targetOptions, { proposers: 'any' });
  });

  it('holds each fault for at most three nemesis ops unless --max-fault-steps says otherwise', () => {
    assert.equal(parseRunSpec([]).maxFaultSteps, 3);
    assert.equal(parseRunSpec(['--max-fault-steps', '20']).maxFaultSteps, 20);
  });

  it('reads --max-down as a number or as the minority of the regions', () => {
    assert.equal(parseRunSpec(['--max-down', '2']).maxDown, 2);
    assert.equal(parseRunSpec(['--max-down', 'minority']).maxDown, 1);
    assert.equal(parseRunSpec(['--max-down', 'minority', '--regions', 'a,b,c,d,e']).maxDown, 2);
  });
});
