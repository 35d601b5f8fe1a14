import { strict as assert } from 'node:assert';
import { resolveTargetOptions, targetEntry, targetNames } from '../../../harness/targets/index.ts';
import { runPaths } from '../../../harness/store/run-dir.ts';
import { isClockSkewable, isClockSteppable, isKillable, isPausable } from '../../../harness/core/target.ts';
import { isReplicated } from '../../../harness/nemesis/faults/failover.ts';
import { isFailpointArmable } from '../../../harness/nemesis/faults/failpoint.ts';
import { FAULT_KINDS } from '../../../harness/nemesis/schedule.ts';

describe('targets (registry)', () => {
  it('fills every option a target has with its default, and keeps what was given', () => {
    const etcd = targetEntry('etcd');
    assert.deepEqual(resolveTargetOptions(etcd, {}), { reads: 'linearizable' });
    assert.deepEqual(resolveTargetOptions(etcd, { reads: 'serializable' }), { reads: 'serializable' });
    assert.deepEqual(resolveTargetOptions(targetEntry('redis-replication'), {}), { wait: 'none' });
    assert.deepEqual(resolveTargetOptions(targetEntry('local'), {}), { batches: 'small', proposers: 'any' });
    assert.deepEqual(resolveTargetOptions(targetEntry('local'), { proposers: 'home' }), { batches: 'small', proposers: 'home' });
  });

  it('refuses unknown options and values with a usage error naming what is allowed', () => {
    assert.throws(() => resolveTargetOptions(targetEntry('etcd'), { reads: 'fast' }), (e: Error & { exitCode?: number }) => e.exitCode === 64 && /"fast" is not one of linearizable, serializable/.test(e.message));
    assert.throws(() => resolveTargetOptions(targetEntry('redis-replication'), { reads: 'serializable' }), /target "redis-replication" has no option "reads"; its options: wait/);
    assert.throws(() => resolveTargetOptions(targetEntry('local'), { wait: 'all' }), /target "local" has no option "wait"; its options: batches, proposers/);
  });

  it('names the known targets when asked for another', () => {
    assert.deepEqual(targetNames(), ['local', 'etcd', 'redis-replication', 'external']);
    assert.throws(() => targetEntry('mongo'), /unknown target "mongo"; one of: local, etcd, redis-replication, external/);
  });
});

describe('targets (the faults each can take)', () => {
  const dir = runPaths('/nonexistent/rift-capabilities');
  /** What a target object really implements, fault kind by fault kind (its network exists only after setup). */
  const implemented = (t: object): string[] => {
    const can: Record<string, boolean> = {
      partition: 'network' in t, latency: 'network' in t, bandwidth: 'network' in t,
      kill: isKillable(t), pause: isPausable(t), 'clock-skew': isClockSkewable(t), 'clock-tie': isClockSteppable(t),
      failover: isReplicated(t), failpoint: isFailpointArmable(t),
    };
    return FAULT_KINDS.filter((k) => can[k]);
  };
  for (const name of ['local', 'etcd', 'redis-replication']) {
    it(`${name} declares exactly the fault kinds its target implements`, async () => {
      const entry = targetEntry(name);
      const target = await entry.create({ regions: ['us-east', 'eu-west', 'ap-south'], dir, bugs: [], seed: 1, options: resolveTargetOptions(entry, {}) });
      assert.deepEqual([...(entry.faults ?? [])].sort(), implemented(target).sort());
    });
  }
});
