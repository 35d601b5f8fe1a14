import { join } from 'node:path';
import { clientLink, peerLink } from '../../core/target.ts';

/**
 * The Redis replication deployment as data: one redis-server per region, the first region's node the initial
 * primary. Every node can reach every other only through its own directed peer link, since after a failover any
 * node may have to replicate from any other. Pure: ports are the caller's.
 */

export const HOST = '127.0.0.1';

export interface RedisNode {
  region: string;
  port: number;
  dataDir: string;
  logFile: string;
}

export function planNodes(regions: readonly string[], dataRoot: string, logRoot: string, ports: readonly number[]): RedisNode[] {
  if (regions.length < 2) throw new Error(`redis-replication target: a primary and at least one replica are needed, got ${regions.length} region(s)`);
  if (new Set(regions).size !== regions.length) throw new Error(`redis-replication target: regions repeat: [${regions.join(', ')}]`);
  for (const r of regions) {
    // Region names become link names (`peer:a->b`) and file names.
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(r)) throw new Error(`redis-replication target: region "${r}" must be letters, digits, _ and -`);
  }
  if (ports.length !== regions.length) throw new Error(`redis-replication target: ${regions.length} regions but ${ports.length} ports`);
  return regions.map((region, i) => ({
    region,
    port: ports[i],
    dataDir: join(dataRoot, `redis-${region}`),
    logFile: join(logRoot, `redis-${region}.log`),
  }));
}

/** The links to create: what clients dial per region, and every directed node→node link. */
export function replicationLinks(nodes: readonly RedisNode[]): { link: string; upstream: string }[] {
  return [
    ...nodes.map((n) => ({ link: clientLink(n.region), upstream: `${HOST}:${n.port}` })),
    ...nodes.flatMap((from) => nodes.filter((to) => to !== from).map((to) => ({ link: peerLink(from.region, to.region), upstream: `${HOST}:${to.port}` }))),
  ];
}

/**
 * The command line of one node. `replicaOf` is the address (a peer-link proxy) of the primary it replicates from,
 * absent for the primary. No RDB snapshots; an AOF fsynced on every write, so a killed node restarts with what it
 * had acknowledged and any loss is the replication's doing. A short repl-timeout lets a replica notice a silent
 * link within seconds; diskless sync without delay keeps resyncs quick.
 */
export function nodeArgs(node: RedisNode, replicaOf?: { host: string; port: number }): string[] {
  return [
    '--port', String(node.port), '--bind', HOST, '--daemonize', 'no', '--logfile', '',
    '--dir', node.dataDir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
    // The primary must ping idle replicas more often than repl-timeout, or they drop healthy links (default period: 10 s).
    '--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--repl-timeout', '5', '--repl-ping-replica-period', '1',
    ...(replicaOf ? ['--replicaof', replicaOf.host, String(replicaOf.port)] : []),
  ];
}
