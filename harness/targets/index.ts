import type { Client } from '../core/client.ts';
import type { Target } from '../core/target.ts';
import type { RunDir } from '../store/run-dir.ts';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { LocalTarget } from './local/target.ts';
import { layerClient } from '../../workloads/clients/layer-http.ts';
import { etcdClient } from '../../workloads/clients/etcd.ts';
import { redisClient } from '../../workloads/clients/redis.ts';
import { createEtcdTarget, etcdPartitionShapes } from './etcd/index.ts';
import { createRedisReplicationTarget } from './redis-replication/index.ts';
import type { PartitionShape } from '../net/grudge.ts';

export interface TargetArgs {
  regions: readonly string[];
  dir: RunDir;
  bugs: readonly string[];
  seed: number;
}

/** What the runner needs to know about a kind of target: how to deploy it and how clients talk to it. */
export interface TargetEntry {
  readonly name: string;
  create(args: TargetArgs): Target;
  /** A client bound to the target's (proxied) client endpoints, once the target is up. */
  client(target: Target, opTimeoutMs: number): Client;
  /** Whether the client answers `digest` probes, so convergence times can be measured. */
  readonly probes: boolean;
  readonly workloads: readonly string[];
  /** Partition shapes the target's network can express, when not all of them. */
  partitionShapes?(regions: readonly string[]): PartitionShape[];
}

const endpoints = (t: Target) => Object.fromEntries(t.regions.map((r) => [r, t.clientEndpoint(r)]));

const entries: Record<string, TargetEntry> = {
  local: {
    name: 'local',
    create: (a) => new LocalTarget({ dir: a.dir, regions: a.regions, bugs: a.bugs, seed: a.seed }),
    client: (t) => layerClient(endpoints(t)),
    probes: true,
    workloads: ['register', 'cas-register', 'list-append', 'rw-register', 'counter', 'set', 'session'],
  },
  etcd: {
    name: 'etcd',
    create: (a) => createEtcdTarget({ dir: a.dir, regions: a.regions, seed: a.seed }),
    client: (t, opTimeoutMs) => etcdClient(endpoints(t), opTimeoutMs),
    probes: false,
    workloads: ['register', 'cas-register'],
    partitionShapes: () => etcdPartitionShapes(),
  },
  'redis-replication': {
    name: 'redis-replication',
    create: (a) => createRedisReplicationTarget({ dir: a.dir, regions: a.regions, seed: a.seed }),
    client: (t, opTimeoutMs) => redisClient(endpoints(t), opTimeoutMs),
    probes: false,
    workloads: ['register', 'set'],
  },
};

export const targetNames = (): string[] => Object.keys(entries);

export function targetEntry(name: string): TargetEntry {
  const e = entries[name];
  if (!e) throw new CliError(`unknown target "${name}"; one of: ${targetNames().join(', ')}`, EXIT.usage);
  return e;
}
