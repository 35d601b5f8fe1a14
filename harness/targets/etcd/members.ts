import { join } from 'node:path';

/**
 * Where each etcd member listens, what it advertises and how it is started. Pure: ports are chosen by the caller.
 *
 * etcd derives member IDs, and from them the cluster ID, from the peer URLs in `--initial-cluster`, which every
 * member must be given identically. So the URLs name hosts (`<region>.etcd.rift:<port>`), and each member resolves
 * those names through its own hosts file (see namespace.ts): member a finds b at the proxy for the link a→b, member
 * c finds b at the proxy for c→b. Every ordered pair of members thus gets its own proxy, though all share one
 * `--initial-cluster`. The client proxy is the address clients of that region use.
 */

export interface MemberPorts {
  /** etcd's own client listener (the JSON gateway and /health). */
  client: number;
  /** etcd's own peer listener. */
  peer: number;
  /** Proxy in front of `client`: what the region's clients dial. */
  clientProxy: number;
  /** Port of the member's advertised peer URL; every proxy leading to this member listens on it. */
  advertisedPeer: number;
}

export interface Member {
  /** The member's name is its region. */
  region: string;
  /** Position in the cluster; it numbers the member's proxy addresses. */
  index: number;
  dataDir: string;
  logFile: string;
  /** The hosts file the member resolves peer names with. */
  hostsFile: string;
  ports: MemberPorts;
}

export const HOST = '127.0.0.1';
const url = (port: number): string => `http://${HOST}:${port}`;

/** The host name in a member's advertised peer URL. */
export const peerHostName = (region: string): string => `${region}.etcd.rift`;
const peerUrl = (m: Member): string => `http://${peerHostName(m.region)}:${m.ports.advertisedPeer}`;

/**
 * The loopback address of the proxy for peer traffic that member `from` dials to member `to`. All of 127/8 is
 * loopback on Linux, so each ordered pair gets an address of its own while every proxy to `to` keeps `to`'s port.
 */
export function dialAddress(from: Member, to: Member): string {
  if (from.index > 253 || to.index > 253) throw new Error('etcd target: at most 254 members');
  return `127.77.${from.index + 1}.${to.index + 1}`;
}

export function planMembers(regions: readonly string[], dataRoot: string, logRoot: string, hostsRoot: string, ports: readonly MemberPorts[]): Member[] {
  if (regions.length === 0) throw new Error('etcd target: at least one region is needed');
  if (new Set(regions).size !== regions.length) throw new Error(`etcd target: region names must be distinct, got ${regions.join(', ')}`);
  for (const r of regions) {
    // The name is an etcd member name (',' and '=' separate --initial-cluster) and a host-name label.
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(r)) {
      throw new Error(`etcd target: region "${r}" is not a valid etcd member name (letters, digits and inner dashes, at most 63)`);
    }
  }
  if (ports.length !== regions.length) throw new Error(`etcd target: ${regions.length} regions but ports for ${ports.length}`);
  if (regions.length > 254) throw new Error(`etcd target: at most 254 members, got ${regions.length}`);
  return regions.map((region, index) => ({
    region,
    index,
    dataDir: join(dataRoot, `etcd-${region}`),
    logFile: join(logRoot, `etcd-${region}.log`),
    hostsFile: join(hostsRoot, `etcd-${region}.hosts`),
    ports: ports[index],
  }));
}

/**
 * The hosts file of one member: the machine's own entries, then every member's peer name at the proxy this member
 * dials it through. Its own name leads to its own listener address, which etcd only compares with --initial-cluster.
 */
export function memberHosts(member: Member, all: readonly Member[], base: string): string {
  const lines = all.map((m) => `${m === member ? HOST : dialAddress(member, m)} ${peerHostName(m.region)}`);
  return `${base.replace(/\n*$/, '\n')}# rift: peer names as member ${member.region} resolves them\n${lines.join('\n')}\n`;
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
    '--initial-advertise-peer-urls', peerUrl(member),
    '--initial-cluster', all.map((m) => `${m.region}=${peerUrl(m)}`).join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', clusterToken,
    '--logger', 'zap',
    '--log-outputs', 'stderr',
  ];
}

export const healthUrl = (member: Member): string => `${url(member.ports.client)}/health`;
