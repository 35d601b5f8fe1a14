import { join } from 'node:path';

/**
 * Where each etcd member listens and how it is started. Pure: ports are chosen by the caller.
 *
 * etcd derives member IDs, and from them the cluster ID, from the peer URLs in `--initial-cluster`, which every
 * member must be given identically. So each member advertises exactly one peer URL, its inbound peer proxy, and
 * every other member dials that same address. The client proxy is the address clients of that region use.
 */

export interface MemberPorts {
  /** etcd's own client listener (the JSON gateway and /health). */
  client: number;
  /** etcd's own peer listener. */
  peer: number;
  /** Proxy in front of `client`: what the region's clients dial. */
  clientProxy: number;
  /** Proxy in front of `peer`: the member's advertised peer URL, dialled by every other member. */
  peerProxy: number;
}

export interface Member {
  /** The member's name is its region. */
  region: string;
  dataDir: string;
  logFile: string;
  ports: MemberPorts;
}

export const HOST = '127.0.0.1';
const url = (port: number): string => `http://${HOST}:${port}`;

export function planMembers(regions: readonly string[], dataRoot: string, logRoot: string, ports: readonly MemberPorts[]): Member[] {
  if (regions.length === 0) throw new Error('etcd target: at least one region is needed');
  if (new Set(regions).size !== regions.length) throw new Error(`etcd target: region names must be distinct, got ${regions.join(', ')}`);
  for (const r of regions) {
    // The name goes into --initial-cluster, where ',' and '=' are separators.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(r)) throw new Error(`etcd target: region "${r}" is not a valid etcd member name (letters, digits, . _ -)`);
  }
  if (ports.length !== regions.length) throw new Error(`etcd target: ${regions.length} regions but ports for ${ports.length}`);
  return regions.map((region, i) => ({
    region,
    dataDir: join(dataRoot, `etcd-${region}`),
    logFile: join(logRoot, `etcd-${region}.log`),
    ports: ports[i],
  }));
}

/**
 * The command line of one member. The same arguments serve a restart: with an existing data dir etcd ignores the
 * --initial-* flags and rejoins with the identity it stored.
 */
export function memberArgs(member: Member, all: readonly Member[], clusterToken: string): string[] {
  const p = member.ports;
  return [
    '--name', member.region,
    '--data-dir', member.dataDir,
    '--listen-client-urls', url(p.client),
    '--advertise-client-urls', url(p.clientProxy),
    '--listen-peer-urls', url(p.peer),
    '--initial-advertise-peer-urls', url(p.peerProxy),
    '--initial-cluster', all.map((m) => `${m.region}=${url(m.ports.peerProxy)}`).join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', clusterToken,
    '--logger', 'zap',
    '--log-outputs', 'stderr',
  ];
}

export const healthUrl = (member: Member): string => `${url(member.ports.client)}/health`;
