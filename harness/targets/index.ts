import type { Client } from '../core/client.ts';
import type { Target } from '../core/target.ts';
import type { RunDir } from '../store/run-dir.ts';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { LocalTarget } from './local/target.ts';
import { ExternalTarget } from './external/target.ts';
import { loadExternalConfig } from './external/config.ts';
import { layerClient } from '../../workloads/clients/layer-http.ts';
import { etcdClient } from '../../workloads/clients/etcd.ts';
import { redisClient } from '../../workloads/clients/redis.ts';
import { createEtcdTarget, etcdPartitionShapes } from './etcd/index.ts';
import { createRedisReplicationTarget } from './redis-replication/index.ts';
import type { PartitionShape } from '../net/grudge.ts';
import type { RunIsolation } from '../isolation/probe.ts';
import type { FaultKind } from '../nemesis/schedule.ts';

export interface TargetArgs {
  regions: readonly string[];
  dir: RunDir;
  bugs: readonly string[];
  seed: number;
  /** The target's options, resolved (every option present, defaults filled in). */
  options: Readonly<Record<string, string>>;
  isolation?: RunIsolation;
  /** `--config` of the external target. */
  config?: string;
}

/** An option `--target-option NAME=VALUE` may set; the first value is the default. */
export interface TargetOption {
  readonly values: readonly [string, ...string[]];
  readonly doc: string;
}

/** What the runner needs to know about a kind of target: how to deploy it and how clients talk to it. */
export interface TargetEntry {
  readonly name: string;
  create(args: TargetArgs): Target | Promise<Target>;
  /** A client bound to the target's (proxied) client endpoints, once the target is up. */
  client(target: Target, opTimeoutMs: number, options: Readonly<Record<string, string>>): Client;
  readonly options?: Readonly<Record<string, TargetOption>>;
  /** Whether the client answers `digest` probes, so convergence times can be measured. */
  readonly probes: boolean;
  /** Workloads it runs; the first is the default. */
  readonly workloads: readonly string[];
  /** Partition shapes the target's network can express, when not all of them. */
  partitionShapes?(regions: readonly string[]): PartitionShape[];
  /**
   * Fault kinds its targets can take (what they implement: Killable, a fault network, …), so `rift run` refuses
   * another before deploying; absent when only the deployment knows (external: its config's commands).
   */
  readonly faults?: readonly FaultKind[];
}

/** Entries per replication batch with `batches=small`. */
const SMALL_BATCH = 8;

const endpoints = (t: Target) => Object.fromEntries(t.regions.map((r) => [r, t.clientEndpoint(r)]));

const entries: Record<string, TargetEntry> = {
  local: {
    name: 'local',
    create: async (a) => {
      const layer = {
        dir: a.dir, regions: a.regions, bugs: a.bugs, seed: a.seed,
        proposers: a.options.proposers === 'home' ? 'home' : 'any',
        ...(a.options.batches === 'default' ? {} : { batchSize: SMALL_BATCH }),
      } as const;
      if (a.isolation !== 'docker') return new LocalTarget({ ...layer, isolation: a.isolation });
      // Loaded only for docker isolation, and testcontainers itself only once the target connects.
      const [{ DockerTarget }, { connectTestcontainers }] = await Promise.all([import('./local/docker-target.ts'), import('../isolation/docker/testcontainers-runtime.ts')]);
      return new DockerTarget({ ...layer, connect: connectTestcontainers });
    },
    client: (t) => layerClient(endpoints(t)),
    options: {
      batches: {
        values: ['small', 'default'],
        doc: `replication batches of ${SMALL_BATCH} entries, so that any backlog ships as many batches in flight and the receiver's gap check must hold (the default: with the layer's own 1,024, batches overtook each other only after a backlog that size), or of the layer's default size`,
      },
      proposers: { values: ['any', 'home'], doc: 'critical ops proposed by whichever region gets them (duelling proposers; the default, since consensus must be safe under them), or forwarded to the key\'s home region (one proposer per key, the layer\'s own default)' },
    },
    probes: true,
    workloads: ['tiers', 'register', 'cas-register', 'list-append', 'rw-register', 'counter', 'set', 'session', 'or-set', 'mv-register', 'lww-register', 'lww', 'map', 'siblings', 'write-once'],
    faults: ['partition', 'latency', 'bandwidth', 'kill', 'pause', 'clock-skew', 'clock-tie', 'failpoint'],
  },
  etcd: {
    name: 'etcd',
    create: (a) => createEtcdTarget({ dir: a.dir, regions: a.regions, seed: a.seed }),
    client: (t, opTimeoutMs, o) => etcdClient(endpoints(t), opTimeoutMs, { serializableReads: o.reads === 'serializable' }),
    options: {
      reads: { values: ['linearizable', 'serializable'], doc: 'quorum reads, or reads from the member\'s local state (documented as possibly stale)' },
    },
    probes: false,
    workloads: ['register', 'cas-register', 'list-append', 'rw-register'],
    faults: ['partition', 'latency', 'bandwidth', 'kill', 'pause'],
    partitionShapes: () => etcdPartitionShapes(),
  },
  'redis-replication': {
    name: 'redis-replication',
    create: (a) => createRedisReplicationTarget({ dir: a.dir, regions: a.regions, seed: a.seed }),
    client: (t, opTimeoutMs, o) => redisClient(endpoints(t), opTimeoutMs, { waitReplicas: o.wait === 'all' ? t.regions.length - 1 : 0 }),
    options: {
      wait: { values: ['none', 'all'], doc: 'acknowledge a write at once, or only once every replica confirmed it (WAIT)' },
    },
    probes: false,
    workloads: ['register', 'set'],
    faults: ['partition', 'latency', 'bandwidth', 'kill', 'pause', 'failover'],
  },
  external: {
    name: 'external',
    create: async (a) => {
      if (!a.config) throw new CliError('--target external needs --config FILE (see examples/external.config.ts)', EXIT.usage);
      return new ExternalTarget(await loadExternalConfig(a.config));
    },
    client: (t) => layerClient(endpoints(t)),
    probes: true,
    workloads: ['tiers', 'register', 'cas-register', 'list-append', 'rw-register', 'counter', 'set', 'session', 'map'],
  },
};

export const targetNames = (): string[] => Object.keys(entries);

/** Every option of the target, given or defaulted; an unknown option or value is a usage error naming what is allowed. */
export function resolveTargetOptions(entry: TargetEntry, given: Readonly<Record<string, string>>): Record<string, string> {
  const known = entry.options ?? {};
  for (const [name, value] of Object.entries(given)) {
    const o = known[name];
    if (!o) {
      const names = Object.keys(known);
      throw new CliError(`--target-option: target "${entry.name}" has no option "${name}"${names.length ? `; its options: ${names.join(', ')}` : ' (it takes none)'}`, EXIT.usage);
    }
    if (!o.values.includes(value)) throw new CliError(`--target-option ${name}: "${value}" is not one of ${o.values.join(', ')}`, EXIT.usage);
  }
  return Object.fromEntries(Object.entries(known).map(([name, o]) => [name, given[name] ?? o.values[0]]));
}

/** The registered target of that name; undefined for a name Rift does not know (a library user's own target). */
export const findTarget = (name: string): TargetEntry | undefined => (Object.hasOwn(entries, name) ? entries[name] : undefined);

export function targetEntry(name: string): TargetEntry {
  const e = findTarget(name);
  if (!e) throw new CliError(`unknown target "${name}"; one of: ${targetNames().join(', ')}`, EXIT.usage);
  return e;
}
