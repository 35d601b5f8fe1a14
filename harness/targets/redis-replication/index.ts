import { mkdirSync } from 'node:fs';
import { logSince, logSize } from '../../process/log-file.ts';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { clientLink, peerLink, type HasFaultNetwork, type HasLogs, type Killable, type Pausable, type Target } from '../../core/target.ts';
import type { Replicated } from '../../nemesis/faults/failover.ts';
import { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { startToxiproxy, type ToxiproxyClient, type ToxiproxyServer } from '../../net/toxiproxy.ts';
import { freePorts } from '../../process/ports.ts';
import { reapPidFile, spawnGroup } from '../../process/spawn.ts';
import { RegionProcesses } from '../region-processes.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';
import { HOST, nodeArgs, planNodes, replicationLinks, type RedisNode } from './nodes.ts';

/**
 * Plain Redis primary/replica replication (Debian's redis-server), one node per region, the first region's the
 * initial primary. Replicas replicate through their peer-link proxies, clients reach each node through its client
 * proxy, so the fault network can cut replication while clients still talk to the primary. Redis acknowledges a
 * write once its primary has it; a failover (harness/nemesis/faults/failover.ts) that promotes a replica therefore
 * loses what the old primary acknowledged alone.
 *
 * The harness's own control commands (REPLICAOF, INFO) go to the nodes directly, never through a proxy, so they
 * work during any partition.
 */

export interface RedisReplicationOptions {
  regions: readonly string[];
  /** The run directory: node data under `data/`, logs under `logs/`, the pid file at the root. */
  dir: { root: string; logs: string; data: string };
  /** A running Toxiproxy server to put the proxies on; by default the target starts its own. */
  toxiproxy?: ToxiproxyClient;
  /** Seeds the Toxiproxy server the target starts. */
  seed?: number;
  /** How long a node may take to be ready, replicas until their replication link is up (default 20 s). */
  readyTimeoutMs?: number;
}

export type RedisReplicationTarget = Target & Killable & Pausable & HasLogs & HasFaultNetwork & Replicated & {
  /** A key's value on one node, read directly: a set's members sorted, a string, or null when absent. */
  dump(region: string, key: string): Promise<string[] | string | null>;
};

const REDIS_BIN = (): string => process.env.RIFT_REDIS_BIN ?? 'redis-server';
/** Control commands are local and quick; the margin is for a loaded machine, where a false failure would misreport a fault. */
const ADMIN_TIMEOUT_MS = 10_000;

class RedisReplication implements RedisReplicationTarget {
  readonly name = 'redis-replication';
  readonly regions: readonly string[];
  private nodes: RedisNode[] = [];
  private readonly procs = new RegionProcesses('Redis node');
  private net: ToxiproxyFaultNetwork | undefined;
  private ownServer: ToxiproxyServer | undefined;
  private current: string;
  private readonly pidFile: string;
  private readonly readyTimeoutMs: number;

  constructor(private readonly opts: RedisReplicationOptions) {
    this.regions = [...opts.regions];
    this.current = this.regions[0];
    this.pidFile = join(opts.dir.root, 'pids.jsonl');
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  }

  get network(): ToxiproxyFaultNetwork {
    if (!this.net) throw new Error('redis-replication target: the network exists only after setup()');
    return this.net;
  }

  async setup(): Promise<void> {
    try {
      await this.deploy();
    } catch (e) {
      await this.teardown().catch(() => undefined);
      throw e;
    }
  }

  private async deploy(): Promise<void> {
    const { regions, dir } = this.opts;
    reapPidFile(this.pidFile);
    this.nodes = planNodes(regions, dir.data, dir.logs, await freePorts(regions.length));
    let proxies = this.opts.toxiproxy;
    if (!proxies) {
      this.ownServer = await startToxiproxy({ logFile: join(dir.logs, 'toxiproxy.log'), pidFile: this.pidFile, seed: this.opts.seed });
      proxies = this.ownServer.client;
    }
    this.net = await ToxiproxyFaultNetwork.create(proxies, replicationLinks(this.nodes));
    await Promise.all(this.nodes.map((n) => this.start(n)));
    for (const r of regions.slice(1)) {
      if (!(await this.replicating(r, this.readyTimeoutMs))) {
        throw new Error(`redis-replication target: replica ${r} did not link up with primary ${this.current} within ${this.readyTimeoutMs} ms (see ${this.node(r).logFile})`);
      }
    }
  }

  /**
   * Starts a node in the role it has now: the primary standalone, any other as a replica of the primary. Ports from
   * freePorts are only probably free (other runs share the machine, and a killed node's port may be taken before
   * its restart), so a bind conflict moves the node to a new port and retargets every proxy that leads to it.
   */
  private async start(n: RedisNode): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      mkdirSync(n.dataDir, { recursive: true });
      const from = logSize(n.logFile);
      const replicaOf = n.region === this.current ? undefined : this.network.address(peerLink(n.region, this.current));
      const g = spawnGroup({ name: `redis ${n.region}`, command: REDIS_BIN(), args: nodeArgs(n, replicaOf), logFile: n.logFile, pidFile: this.pidFile });
      this.procs.set(n.region, g);
      try {
        // Redis accepts connections while still loading its AOF; only this line means the data is back.
        const ready = Wait.forAll([Wait.forTcp(HOST, n.port), Wait.forLog(n.logFile, /Ready to accept connections/, this.readyTimeoutMs, from)], this.readyTimeoutMs);
        await waitUntilReady(ready, { name: g.name, logFile: n.logFile, exited: g.exited });
        return;
      } catch (e) {
        await g.stop(0);
        if (attempt >= 3 || !/Address already in use/i.test(logSince(n.logFile, from))) throw e;
        [n.port] = await freePorts(1);
        const into = [clientLink(n.region), ...this.regions.filter((r) => r !== n.region).map((r) => peerLink(r, n.region))];
        for (const link of into) await this.network.retarget(link, `${HOST}:${n.port}`);
      }
    }
  }

  private node(region: string): RedisNode {
    const n = this.nodes.find((x) => x.region === region);
    if (!n) throw new Error(`redis-replication target: no node in region "${region}" (regions: ${this.regions.join(', ')})`);
    return n;
  }

  private async admin<T>(region: string, fn: (r: Redis) => Promise<T>): Promise<T> {
    const n = this.node(region);
    const r = new Redis({ host: HOST, port: n.port, lazyConnect: true, connectTimeout: ADMIN_TIMEOUT_MS, commandTimeout: ADMIN_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return await fn(r);
    } catch (e) {
      throw new Error(`redis-replication target: control command on ${region} failed: ${(e as Error).message}`);
    } finally {
      r.disconnect();
    }
  }

  clientEndpoint(region: string): { host: string; port: number } {
    this.node(region);
    return this.network.address(clientLink(region));
  }

  primary(): string {
    return this.current;
  }

  async promote(region: string): Promise<void> {
    await this.admin(region, (r) => r.call('REPLICAOF', 'NO', 'ONE'));
    this.current = region;
  }

  async follow(region: string, primary: string): Promise<void> {
    this.node(primary);
    if (region === primary) throw new Error(`redis-replication target: ${region} cannot replicate from itself`);
    // A node that is down starts in its role on restart (a replica of the current primary), so there is nothing to tell it.
    if (!this.procs.running(region) && primary === this.current) return;
    const via = this.network.address(peerLink(region, primary));
    await this.admin(region, (r) => r.call('REPLICAOF', via.host, String(via.port)));
    if (this.current === region) this.current = primary;
  }

  async replicating(region: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.admin(region, (r) => r.info('replication')).catch(() => '');
      if (/master_link_status:up/.test(info)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async dump(region: string, key: string): Promise<string[] | string | null> {
    return this.admin(region, async (r) => {
      const type = await r.type(key);
      if (type === 'set') return (await r.smembers(key)).sort();
      if (type === 'string') return r.get(key);
      return null;
    });
  }

  async kill(region: string): Promise<void> {
    this.node(region);
    await this.procs.kill(region);
  }

  /** Restarts on the same port and data dir, as a replica of the current primary unless it is the primary. */
  async restart(region: string): Promise<void> {
    const n = this.node(region);
    if (this.procs.running(region)) return;
    await this.start(n);
  }

  async pause(region: string): Promise<void> {
    this.node(region);
    this.procs.pause(region);
  }

  async resume(region: string): Promise<void> {
    this.node(region);
    this.procs.resume(region);
  }

  logFiles(): readonly string[] {
    return [...this.nodes.map((n) => n.logFile), ...(this.ownServer ? [join(this.opts.dir.logs, 'toxiproxy.log')] : [])];
  }

  async teardown(): Promise<void> {
    const errors: string[] = [];
    await this.procs.stopAll();
    if (this.net && !this.ownServer) await this.net.destroy().catch((e: Error) => errors.push(e.message));
    await this.ownServer?.stop().catch((e: Error) => errors.push(e.message));
    this.ownServer = undefined;
    if (errors.length) throw new Error(`redis-replication target teardown: ${errors.join('; ')}`);
  }
}

export function createRedisReplicationTarget(opts: RedisReplicationOptions): RedisReplicationTarget {
  planNodes(opts.regions, opts.dir.data, opts.dir.logs, opts.regions.map(() => 0));
  return new RedisReplication(opts);
}
