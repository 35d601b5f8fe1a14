import { strict as assert } from 'node:assert';
import { resolveTargetOptions, targetEntry, targetNames } from '../../../harness/targets/index.ts';

describe('targets (registry)', () => {
  it('fills every option a target has with its default, and keeps what was given', () => {
    const etcd = targetEntry('etcd');
    assert.deepEqual(resolveTargetOptions(etcd, {}), { reads: 'linearizable' });
    assert.deepEqual(resolveTargetOptions(etcd, { reads: 'serializable' }), { reads: 'serializable' });
    assert.deepEqual(resolveTargetOptions(targetEntry('redis-replication'), {}), { wait: 'none' });
    assert.deepEqual(resolveTargetOptions(targetEntry('local'), {}), { batches: 'default', proposers: 'home' });
    assert.deepEqual(resolveTargetOptions(targetEntry('local'), { proposers: 'any' }), { batches: 'default', proposers: 'any' });
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
