import { readFileSync } from 'node:fs';
import { isRegionName, REGION_PATTERN } from './clock/region.ts';

export const BUG_SWITCHES = [
  'skip-version-check',
  'ack-before-write',
  'wall-clock-lww',
  'drop-batch-on-retry',
  'stale-critical-reads',
  'acceptor-forgets-promise',
  'read-skips-accept',
  'ballot-round-only',
  'checkpoint-before-apply',
  'ignore-gap',
  'apply-without-version-check',
  'hlc-reset-on-skew',
  'counter-merge-sum',
  'or-set-remove-wins',
  'mv-register-drops-sibling',
  'tie-break-local',
  'session-read-no-wait',
  'session-write-no-wait',
  'txn-read-local',
  'map-merge-replaces-field',
  'write-once-keeps-latest',
  'quorum-off-by-one',
  'hot-cache-kept-on-write',
  'dot-block-overlap',
] as const;
export type BugSwitch = (typeof BUG_SWITCHES)[number];

const STRATEGIES = ['lww', 'pn-counter', 'or-set', 'lww-register', 'mv-register', 'map', 'siblings', 'reject'] as const;
type StrategyName = (typeof STRATEGIES)[number];

export interface NodeConfig {
  region: string;
  regions: string[];
  host: string;
  port: number;
  /** `password` is Redis's `requirepass` (AUTH), when it has one. */
  redis: { host: string; port: number; password?: string };
  /** Base URL per other region; in a real run these are Toxiproxy proxies, so the node never dials a peer directly. */
  peers: Record<string, string>;
  secret: string;
  adminToken: string;
  /** Browser origins allowed to call the node (any other request with an `Origin` header gets 403); default none. */
  allowedOrigins: string[];
  bugs: BugSwitch[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Home region by key prefix; keys matching no rule are placed by hash. */
  placement: { prefix: string; region: string }[];
  /** Extra strategy rules by prefix, consulted before the resolver's defaults. */
  strategies: { prefix: string; strategy: StrategyName }[];
  hotStalenessMs: number;
  maxClockDriftMs: number;
  probeIntervalMs: number;
  peerDownAfterMs: number;
  peerTimeoutMs: number;
  batchSize: number;
  /** How often confirmed entries are trimmed from the replication log (ms). */
  logTrimIntervalMs: number;
  /** Confirmed entries the log keeps anyway (see propagator/log-trimmer.ts). */
  logRetainEntries: number;
  /**
   * "home": a transaction runs only in its transaction home and is refused (503) elsewhere when home is unreachable
   * (strictly serializable, less available). "local-fallback": it then runs where it arrived (available, anomalies
   * under partitions).
   */
  txnMode: 'home' | 'local-fallback';
  /**
   * "home": critical operations are forwarded to the key's home region, so one proposer serves a key. "any": every
   * region proposes for every critical key it is asked about, so proposers duel (safe, slower under contention).
   */
  proposers: 'home' | 'any';
}

export class ConfigError extends Error {
  constructor(where: string, field: string, problem: string) {
    super(`${where}: field "${field}" ${problem}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a parsed config object; `where` names the source (file path) in every error. */
export function parseConfig(raw: unknown, where = 'config'): NodeConfig {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(where, field, problem);
  };
  if (!isObject(raw)) fail('(root)', 'must be a JSON object');
  const r = raw as Raw;
  const str = (field: string, v: unknown): string =>
    typeof v === 'string' && v.length > 0 ? v : fail(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
  const port = (field: string, v: unknown): number =>
    Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536
      ? (v as number)
      : fail(field, `must be an integer port 1..65535, got ${JSON.stringify(v)}`);
  const posInt = (field: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    return Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  };
  const nonNegInt = (field: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(field, `must be a non-negative integer, got ${JSON.stringify(v)}`);
  };
  const url = (field: string, v: unknown): string => {
    const s = str(field, v);
    try {
      const u = new URL(s);
      if (u.protocol !== 'http:') fail(field, `must be an http:// URL, got ${JSON.stringify(s)}`);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      fail(field, `must be a URL, got ${JSON.stringify(s)}`);
    }
    return s.replace(/\/+$/, '');
  };

  const region = str('region', r.region);
  if (!Array.isArray(r.regions) || r.regions.length === 0) fail('regions', 'must be a non-empty array of region names');
  const regions = (r.regions as unknown[]).map((v, i) =>
    isRegionName(v) ? v : fail(`regions[${i}]`, `must be a region name matching ${REGION_PATTERN}, got ${JSON.stringify(v)}`),
  );
  if (new Set(regions).size !== regions.length) fail('regions', 'must not repeat a region');
  if (!regions.includes(region)) fail('region', `"${region}" is not listed in "regions"`);
  const host = r.host === undefined ? '127.0.0.1' : str('host', r.host);
  const p = port('port', r.port);
  if (!isObject(r.redis)) fail('redis', 'must be an object {host, port}');
  const redisRaw = r.redis as Raw;
  const redis = {
    host: redisRaw.host === undefined ? '127.0.0.1' : str('redis.host', redisRaw.host),
    port: port('redis.port', redisRaw.port),
    ...(redisRaw.password === undefined ? {} : { password: str('redis.password', redisRaw.password) }),
  };
  if (!isObject(r.peers)) fail('peers', 'must be an object {region: url}');
  const peers: Record<string, string> = {};
  for (const [name, v] of Object.entries(r.peers as Raw)) {
    if (!regions.includes(name)) fail(`peers.${name}`, 'names a region not listed in "regions"');
    if (name === region) fail(`peers.${name}`, 'must not point at the node itself');
    peers[name] = url(`peers.${name}`, v);
  }
  for (const other of regions) if (other !== region && !(other in peers)) fail(`peers.${other}`, 'is missing (every other region needs a URL)');
  const secret = str('secret', r.secret);
  const adminToken = str('adminToken', r.adminToken);
  const originsRaw = r.allowedOrigins === undefined ? [] : r.allowedOrigins;
  if (!Array.isArray(originsRaw)) fail('allowedOrigins', 'must be an array of origins like "https://example.com"');
  const allowedOrigins = (originsRaw as unknown[]).map((o, i) => str(`allowedOrigins[${i}]`, o));
  const bugsRaw = r.bugs === undefined ? [] : r.bugs;
  if (!Array.isArray(bugsRaw)) fail('bugs', 'must be an array');
  const bugs = (bugsRaw as unknown[]).map((b, i) =>
    typeof b === 'string' && (BUG_SWITCHES as readonly string[]).includes(b)
      ? (b as BugSwitch)
      : fail(`bugs[${i}]`, `must be one of ${BUG_SWITCHES.join(', ')}; got ${JSON.stringify(b)}`),
  );
  const levels = ['debug', 'info', 'warn', 'error'] as const;
  const logLevel = r.logLevel === undefined ? 'info' : r.logLevel;
  if (!levels.includes(logLevel as (typeof levels)[number])) fail('logLevel', `must be one of ${levels.join(', ')}`);
  const placementRaw = r.placement === undefined ? [] : r.placement;
  if (!Array.isArray(placementRaw)) fail('placement', 'must be an array of {prefix, region}');
  const placement = (placementRaw as unknown[]).map((v, i) => {
    if (!isObject(v)) fail(`placement[${i}]`, 'must be an object {prefix, region}');
    const o = v as Raw;
    const reg = str(`placement[${i}].region`, o.region);
    if (!regions.includes(reg)) fail(`placement[${i}].region`, `"${reg}" is not listed in "regions"`);
    return { prefix: str(`placement[${i}].prefix`, o.prefix), region: reg };
  });
  const strategiesRaw = r.strategies === undefined ? [] : r.strategies;
  if (!Array.isArray(strategiesRaw)) fail('strategies', 'must be an array of {prefix, strategy}');
  const strategies = (strategiesRaw as unknown[]).map((v, i) => {
    if (!isObject(v)) fail(`strategies[${i}]`, 'must be an object {prefix, strategy}');
    const o = v as Raw;
    const s = o.strategy;
    if (typeof s !== 'string' || !(STRATEGIES as readonly string[]).includes(s)) fail(`strategies[${i}].strategy`, `must be one of ${STRATEGIES.join(', ')}`);
    return { prefix: str(`strategies[${i}].prefix`, o.prefix), strategy: s as StrategyName };
  });
  const txnMode = r.txnMode === undefined ? 'home' : r.txnMode;
  if (txnMode !== 'home' && txnMode !== 'local-fallback') fail('txnMode', `must be "home" or "local-fallback", got ${JSON.stringify(txnMode)}`);
  const proposers = r.proposers === undefined ? 'home' : r.proposers;
  if (proposers !== 'home' && proposers !== 'any') fail('proposers', `must be "home" or "any", got ${JSON.stringify(proposers)}`);
  return {
    region, regions, host, port: p, redis, peers, secret, adminToken, allowedOrigins, bugs,
    logLevel: logLevel as NodeConfig['logLevel'], placement, strategies,
    hotStalenessMs: posInt('hotStalenessMs', r.hotStalenessMs, 250),
    maxClockDriftMs: posInt('maxClockDriftMs', r.maxClockDriftMs, 60_000),
    probeIntervalMs: posInt('probeIntervalMs', r.probeIntervalMs, 200),
    peerDownAfterMs: posInt('peerDownAfterMs', r.peerDownAfterMs, 1_000),
    peerTimeoutMs: posInt('peerTimeoutMs', r.peerTimeoutMs, 1_000),
    batchSize: posInt('batchSize', r.batchSize, 1024),
    logTrimIntervalMs: posInt('logTrimIntervalMs', r.logTrimIntervalMs, 1_000),
    logRetainEntries: nonNegInt('logRetainEntries', r.logRetainEntries, 0),
    txnMode: txnMode as NodeConfig['txnMode'],
    proposers: proposers as NodeConfig['proposers'],
  };
}

export function loadConfigFile(path: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, '(file)', `cannot be read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, '(file)', `is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, path);
}
