import { join } from 'node:path';
import { clientLink, peerLink } from '../../core/target.ts';
import type { LinkUpstream } from '../../net/fault-proxy.ts';
import type { ProxySpec } from '../../net/toxiproxy.ts';
import { REPO_ROOT } from '../../process/repo-root.ts';
import type { ContainerSpec, ImageSpec, Labels, NetworkSpec, VolumeSpec } from './runtime.ts';

/**
 * What the docker backend creates for one run, as data. The layout mirrors netns isolation:
 *
 *   network rift-<run>            bridge with a route out; only Toxiproxy is on it. Toxiproxy publishes its API
 *                                 and the client and admin proxies of every region there, and nothing else
 *                                 listens on it, so the harness reaches regions through Toxiproxy only.
 *   network rift-<run>-<region>   internal (no route out): the region's container, alias region-<region>, and
 *                                 Toxiproxy. From inside a region the only other address is Toxiproxy's on that
 *                                 network, where only the region's own outgoing peer proxies listen.
 *   container rift-<run>-toxiproxy        docker/toxiproxy, its API bound to its address on rift-<run> only.
 *   container rift-<run>-<region>         docker/region: Redis (loopback only) and a layer node on port 7000,
 *                                         data in volume rift-<run>-<region>-data (kept across kill and restart).
 *
 * Proxies (the same link names as every target, harness/core/target.ts): client:<r> and admin_<r> listen on
 * Toxiproxy's rift-<run> address, peer:<a>-><b> on its address in a's network; all lead to region-<b>:7000, which
 * Toxiproxy resolves on b's network at each connection, so a restarted region is found at its new address.
 * admin_<r> is no link: no fault touches it, so clock hooks reach a node under any partition, as on the host.
 */

export const TOXIPROXY_API_PORT = 8474;
export const NODE_PORT = 7000;
export const MAX_DOCKER_REGIONS = 64;
const CLIENT_PORT_BASE = 10_000;
const ADMIN_PORT_BASE = 11_000;
const PEER_PORT_BASE = 12_000;
/** Toxiproxy's hostname, which its API binds to: Docker maps it to its address on the network it starts on. */
const TOXIPROXY_HOSTNAME = 'rift-toxiproxy';

export const IMAGES: Readonly<Record<'region' | 'toxiproxy', ImageSpec>> = {
  region: { tag: 'rift-region:local', context: REPO_ROOT, dockerfile: 'docker/region/Dockerfile' },
  toxiproxy: { tag: 'rift-toxiproxy:2.12.0', context: join(REPO_ROOT, 'docker', 'toxiproxy'), dockerfile: 'Dockerfile' },
};

/** Labels on everything a run creates: `rift.run` finds a run's leftovers (`docker rm -f $(docker ps -aq -f label=rift.run=<id>)`). */
export const LABEL_RUN = 'rift.run';
export const LABEL_ROLE = 'rift.role';
export const LABEL_REGION = 'rift.region';

export interface DockerPlan {
  runId: string;
  regions: readonly string[];
  /** Seeds Toxiproxy's jitter and toxicity draws. */
  seed?: number;
}

export function dockerPlan(runId: string, regions: readonly string[], seed?: number): DockerPlan {
  if (!/^[a-z0-9]+$/.test(runId)) throw new Error(`docker: run id "${runId}" must be lower-case letters and digits`);
  if (regions.length === 0 || regions.length > MAX_DOCKER_REGIONS) throw new Error(`docker isolation: 1 to ${MAX_DOCKER_REGIONS} regions (got ${regions.length})`);
  for (const r of regions) if (!/^[a-z0-9][a-z0-9-]*$/.test(r)) throw new Error(`docker: region name "${r}" must be lower-case letters, digits and dashes`);
  return { runId, regions: [...regions], ...(seed !== undefined ? { seed } : {}) };
}

export const names = (plan: DockerPlan) => ({
  control: `rift-${plan.runId}`,
  network: (region: string) => `rift-${plan.runId}-${region}`,
  container: (region: string) => `rift-${plan.runId}-${region}`,
  volume: (region: string) => `rift-${plan.runId}-${region}-data`,
  toxiproxy: `rift-${plan.runId}-toxiproxy`,
  alias: (region: string) => `region-${region}`,
});

const index = (plan: DockerPlan, region: string): number => {
  const i = plan.regions.indexOf(region);
  if (i < 0) throw new Error(`docker: unknown region "${region}"; regions are ${plan.regions.join(', ')}`);
  return i;
};

/** Toxiproxy's ports (inside its container) for each region's links. */
export const ports = {
  client: (plan: DockerPlan, region: string) => CLIENT_PORT_BASE + index(plan, region),
  admin: (plan: DockerPlan, region: string) => ADMIN_PORT_BASE + index(plan, region),
  peer: (plan: DockerPlan, from: string, to: string) => PEER_PORT_BASE + MAX_DOCKER_REGIONS * index(plan, from) + index(plan, to),
};

const labels = (plan: DockerPlan, role: string, region?: string): Labels => ({
  [LABEL_RUN]: plan.runId, [LABEL_ROLE]: role, ...(region !== undefined ? { [LABEL_REGION]: region } : {}),
});

export function networkSpecs(plan: DockerPlan): NetworkSpec[] {
  const n = names(plan);
  return [
    { name: n.control, internal: false, labels: labels(plan, 'control') },
    ...plan.regions.map((r) => ({ name: n.network(r), internal: true, labels: labels(plan, 'region-network', r) })),
  ];
}

export function volumeSpecs(plan: DockerPlan): VolumeSpec[] {
  return plan.regions.map((r) => ({ name: names(plan).volume(r), labels: labels(plan, 'region-data', r) }));
}

export function toxiproxySpec(plan: DockerPlan): ContainerSpec {
  return {
    name: names(plan).toxiproxy,
    image: IMAGES.toxiproxy.tag,
    hostname: TOXIPROXY_HOSTNAME,
    entrypoint: ['toxiproxy-server'],
    command: ['-host', TOXIPROXY_HOSTNAME, '-port', String(TOXIPROXY_API_PORT), ...(plan.seed !== undefined ? ['-seed', String(plan.seed)] : [])],
    env: {},
    network: names(plan).control,
    aliases: [],
    exposedPorts: [TOXIPROXY_API_PORT, ...plan.regions.map((r) => ports.client(plan, r)), ...plan.regions.map((r) => ports.admin(plan, r))],
    volumes: [],
    labels: labels(plan, 'toxiproxy'),
    readyHttp: { port: TOXIPROXY_API_PORT, path: '/version' },
  };
}

/** Toxiproxy's addresses: on the control network, and on each region's network. */
export interface ToxiproxyAddresses {
  control: string;
  regions: Readonly<Record<string, string>>;
}

const inRegionNet = (ips: ToxiproxyAddresses, region: string): string => {
  const ip = ips.regions[region];
  if (!ip) throw new Error(`docker: no Toxiproxy address on the network of region ${region}`);
  return ip;
};

export interface DockerProxies {
  /** Every link of the fault network: client:<r> and peer:<a>-><b>. */
  links: LinkUpstream[];
  /** admin_<r>: the harness's way to a node's admin API, never faulted. */
  admin: ProxySpec[];
}

export function proxyMap(plan: DockerPlan, ips: ToxiproxyAddresses): DockerProxies {
  const n = names(plan);
  const upstream = (r: string) => `${n.alias(r)}:${NODE_PORT}`;
  return {
    links: plan.regions.flatMap((r) => [
      { link: clientLink(r), listen: `${ips.control}:${ports.client(plan, r)}`, upstream: upstream(r) },
      ...plan.regions.filter((o) => o !== r).map((o) => ({ link: peerLink(o, r), listen: `${inRegionNet(ips, o)}:${ports.peer(plan, o, r)}`, upstream: upstream(r) })),
    ]),
    admin: plan.regions.map((r) => ({ name: `admin_${r}`, listen: `${ips.control}:${ports.admin(plan, r)}`, upstream: upstream(r), enabled: true })),
  };
}

/** What `region`'s node dials for each other region: its outgoing peer proxies, on its own network. */
export function peerUrls(plan: DockerPlan, region: string, ips: ToxiproxyAddresses): Record<string, string> {
  return Object.fromEntries(plan.regions.filter((o) => o !== region).map((o) => [o, `http://${inRegionNet(ips, region)}:${ports.peer(plan, region, o)}`]));
}

/** The layer settings of every node; the entrypoint of docker/region merges them into the node's config. */
export interface NodeOptions {
  bugs: readonly string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  proposers: 'home' | 'any';
  batchSize?: number;
}

/** Per run, as the local target makes them. They are in the container's environment, so `docker inspect` shows them. */
export interface RunSecrets {
  secret: string;
  adminToken: string;
  redisPassword: string;
}

export function regionSpec(plan: DockerPlan, region: string, ips: ToxiproxyAddresses, secrets: RunSecrets, node: NodeOptions): ContainerSpec {
  const n = names(plan);
  return {
    name: n.container(region),
    image: IMAGES.region.tag,
    env: {
      RIFT_REGION: region,
      RIFT_REGIONS: plan.regions.join(','),
      RIFT_PEERS: JSON.stringify(peerUrls(plan, region, ips)),
      RIFT_SECRET: secrets.secret,
      RIFT_ADMIN_TOKEN: secrets.adminToken,
      RIFT_REDIS_PASSWORD: secrets.redisPassword,
      RIFT_PORT: String(NODE_PORT),
      RIFT_NODE_OPTIONS: JSON.stringify({ bugs: [...node.bugs], logLevel: node.logLevel, proposers: node.proposers, ...(node.batchSize !== undefined ? { batchSize: node.batchSize } : {}) }),
    },
    network: n.network(region),
    aliases: [n.alias(region)],
    exposedPorts: [],
    volumes: [{ volume: n.volume(region), target: '/data' }],
    labels: labels(plan, 'region', region),
  };
}
