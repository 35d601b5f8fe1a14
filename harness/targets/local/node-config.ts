/**
 * The config file a layer node is started with (`layer/main.ts --config <file>`). The harness writes it;
 * layer/config.ts validates it. Peers are the Toxiproxy addresses of this node's outgoing peer links, so a
 * node never dials another directly and every byte between regions can be faulted.
 */
export interface LayerNodeConfig {
  region: string;
  regions: string[];
  host: string;
  port: number;
  redis: { host: string; port: number; password: string };
  /** Region → base URL (through the proxy of link `peer:<region>-><other>`). */
  peers: Record<string, string>;
  secret: string;
  adminToken: string;
  bugs: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  proposers: 'home' | 'any';
  batchSize?: number;
}

export interface RegionPorts {
  node: number;
  redis: number;
}

export function layerNodeConfig(args: {
  region: string;
  regions: readonly string[];
  ports: RegionPorts;
  /** The address the node and its Redis listen on (default 127.0.0.1). */
  host?: string;
  /** Where this node reaches each other region (already the proxy address). */
  peerAddress(to: string): { host: string; port: number };
  secret: string;
  adminToken: string;
  redisPassword: string;
  bugs: readonly string[];
  logLevel?: LayerNodeConfig['logLevel'];
  proposers?: LayerNodeConfig['proposers'];
  batchSize?: number;
}): LayerNodeConfig {
  const peers: Record<string, string> = {};
  for (const other of args.regions) {
    if (other === args.region) continue;
    const a = args.peerAddress(other);
    peers[other] = `http://${a.host}:${a.port}`;
  }
  return {
    region: args.region,
    regions: [...args.regions],
    host: args.host ?? '127.0.0.1',
    port: args.ports.node,
    redis: { host: args.host ?? '127.0.0.1', port: args.ports.redis, password: args.redisPassword },
    peers,
    secret: args.secret,
    adminToken: args.adminToken,
    bugs: [...args.bugs],
    logLevel: args.logLevel ?? 'info',
    proposers: args.proposers ?? 'home',
    ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}),
  };
}
