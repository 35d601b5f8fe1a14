import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clientLink, peerLink,
  type ClockSkewable, type HasFaultNetwork, type HasLogs, type Killable, type Pausable, type Target,
} from '../../core/target.ts';
import { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../net/toxiproxy.ts';
import { freePorts } from '../../process/ports.ts';
import { DEFAULT_REGIONS } from '../../core/run-spec.ts';
import { groupInState, reapPidFile, spawnGroup, type ProcessGroup } from '../../process/spawn.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';
import { layerNodeConfig, type LayerNodeConfig, type RegionPorts } from './node-config.ts';
import { LayerAdmin } from './layer-admin.ts';
import { plain, startRedis, type Launcher } from './redis.ts';
import { NetnsRegions } from '../../isolation/netns-regions.ts';
import { cleanResources } from '../../isolation/netns.ts';
import type { Isolation } from '../../isolation/probe.ts';
import { logSince, logSize } from '../../process/log-file.ts';
import { nodeArgsFor, ownModule, REPO_ROOT } from '../../process/repo-root.ts';
import type { FailpointArmable, FailpointValue } from '../../nemesis/faults/failpoint.ts';

/**
 * The default target: every region is a real redis-server plus a layer node, each in its own process
 * group, on this machine. One Toxiproxy server carries every link: `client:<region>` (what clients dial)
 * and `peer:<from>-><to>` for each ordered pair of regions (the only way a node reaches a peer), so any
 * partition, latency or bandwidth fault can be put on any link.
 *
 * Lifecycle: setup() reaps leftovers recorded in the run dir's pid file, starts Toxiproxy, creates the
 * proxies, writes one config per node, starts Redis then the node in each region and waits until the
 * node logs `listening` and answers GET /health. teardown() stops everything, also after a failed setup.
 * Kill is SIGKILL to node and Redis together; restart brings both back on the same ports and data dir.
 * Pause is SIGSTOP to both, resume SIGCONT. Clock skew goes to the node's admin hook directly, not
 * through a proxy, so it works during a partition.
 *
 * Isolation `netns` puts each region in network, PID and mount namespaces of its own (harness/isolation/):
 * Redis and the node listen only on the region's address, peer links listen on the host end of the region's
 * veth (the one address a region can reach), kill is SIGKILL to the namespace's init and pause stops every
 * process of the namespace. Isolation `process` (plain loopback processes) lets anything dial any region
 * directly, around Toxiproxy.
 */

export interface LocalTargetOptions {
  /** The run directory: logs go to `<logs>`, Redis data to `<data>/<region>`, configs and pids to `<root>`. */
  dir: { root: string; logs: string; data: string };
  regions?: readonly string[];
  /** Layer bug switches passed to every node (calibration runs). */
  bugs?: readonly string[];
  /** Script the node runs (TypeScript through tsx); the layer's entry point unless a test substitutes a fake. */
  nodeEntry?: string;
  /** Seeds Toxiproxy's jitter and toxicity draws. */
  seed?: number;
  logLevel?: LayerNodeConfig['logLevel'];
  /** How long a node may take to become ready, ms. */
  readyTimeoutMs?: number;
  /** The layer's `proposers` setting: "home" forwards critical ops to the key's home, "any" lets proposers duel. */
  proposers?: 'home' | 'any';
  /** Replication batch size of every node (the layer's `batchSize`); small batches make catch-up pipeline many. */
  batchSize?: number;
  /** `process` (default here; the CLI picks netns when the machine allows it) or `netns`. */
  isolation?: Isolation;
}

/** Inside its own namespace a region has every port to itself. */
const NETNS_PORTS: RegionPorts = { node: 7000, redis: 6379 };

/** `crashed`: the node exited by itself (a failpoint crash) while its Redis runs on; restart brings both back. */
type RegionState = 'up' | 'killed' | 'paused' | 'crashed';

interface Region {
  name: string;
  ports: RegionPorts;
  configFile: string;
  redisLog: string;
  nodeLog: string;
  dataDir: string;
  redis?: ProcessGroup;
  node?: ProcessGroup;
  state: RegionState;
}

export class LocalTarget implements Target, Killable, Pausable, ClockSkewable, FailpointArmable, HasLogs, HasFaultNetwork, AsyncDisposable {
  readonly name = 'local';
  readonly regions: readonly string[];
  private readonly opts: LocalTargetOptions;
  private readonly byName = new Map<string, Region>();
  private readonly pidFile: string;
  private readonly adminToken = randomBytes(12).toString('hex');
  private readonly admin = new LayerAdmin('local target', this.adminToken, (region) => this.nodeEndpoint(region));
  private readonly secret = randomBytes(24).toString('hex');
  /** Every region's Redis requires it; generated per run like the secret and the admin token. */
  private readonly redisPassword = randomBytes(24).toString('hex');
  private toxiproxy?: ToxiproxyServer;
  private net?: ToxiproxyFaultNetwork;
  private netns?: NetnsRegions;
  readonly isolation: Isolation;

  constructor(opts: LocalTargetOptions) {
    const regions = opts.regions ?? DEFAULT_REGIONS;
    if (regions.length === 0) throw new Error('local target: at least one region is required');
    for (const r of regions) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(r)) throw new Error(`local target: region name "${r}" must be lower-case letters, digits and dashes`);
    }
    if (new Set(regions).size !== regions.length) throw new Error(`local target: regions repeat: [${regions.join(', ')}]`);
    this.regions = [...regions];
    this.opts = opts;
    this.pidFile = join(opts.dir.root, 'pids.jsonl');
    this.isolation = opts.isolation ?? 'process';
  }

  /** Where a region's Redis and node listen. */
  private hostOf(region: string): string {
    return this.netns ? this.netns.address(region).inside : '127.0.0.1';
  }

  private launcher(region: string): Launcher {
    const ns = this.netns;
    return ns ? (command, args, cwd) => ns.wrap(region, command, args, cwd) : plain;
  }

  /** The Toxiproxy API holding every link's proxy (what an external config names for each region). */
  get toxiproxyUrl(): string {
    if (!this.toxiproxy) throw new Error('local target: Toxiproxy runs only between setup() and teardown()');
    return this.toxiproxy.url;
  }

  get network(): ToxiproxyFaultNetwork {
    if (!this.net) throw new Error('local target: the network exists only between setup() and teardown()');
    return this.net;
  }

  private region(name: string): Region {
    const r = this.byName.get(name);
    if (!r) throw new Error(`local target: unknown region "${name}"; regions are ${this.regions.join(', ')}`);
    return r;
  }

  clientEndpoint(region: string): { host: string; port: number } {
    this.region(region);
    return this.network.address(clientLink(region));
  }

  /** The node's own address, bypassing every proxy (admin calls, debugging). */
  nodeEndpoint(region: string): { host: string; port: number } {
    return { host: this.hostOf(region), port: this.region(region).ports.node };
  }

  /** Where a region's Redis listens and the password it requires (AUTH). */
  redisEndpoint(region: string): { host: string; port: number; password: string } {
    return { host: this.hostOf(region), port: this.region(region).ports.redis, password: this.redisPassword };
  }

  /**
   * Runs a command from inside the region's network (netns), or on the host (process isolation, where a region
   * has no network of its own): what a misbehaving node of that region could reach.
   */
  execInRegion(region: string, command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    this.region(region);
    if (this.netns) return this.netns.exec(region, command, args);
    return new Promise((resolve) => {
      execFile(command, [...args], { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Pids of every process group this target started and has not stopped. */
  processGroups(): { name: string; pid: number }[] {
    const out: { name: string; pid: number }[] = [];
    if (this.toxiproxy?.group.running) out.push({ name: 'toxiproxy', pid: this.toxiproxy.group.pid });
    for (const r of this.byName.values())
      for (const g of [r.redis, r.node]) if (g?.running) out.push({ name: g.name, pid: g.pid });
    return out;
  }

  stateOf(region: string): RegionState {
    return this.region(region).state;
  }

  logFiles(): readonly string[] {
    return [
      join(this.opts.dir.logs, 'toxiproxy.log'),
      ...this.regions.flatMap((r) => [join(this.opts.dir.logs, `${r}-redis.log`), join(this.opts.dir.logs, `${r}-node.log`)]),
    ];
  }

  async setup(): Promise<void> {
    const { dir } = this.opts;
    mkdirSync(dir.logs, { recursive: true });
    mkdirSync(dir.data, { recursive: true });
    reapPidFile(this.pidFile);
    const resources = join(dir.root, 'netns.jsonl');
    cleanResources(resources);
    try {
      if (this.isolation === 'netns') {
        for (const r of this.regions) mkdirSync(join(dir.data, r), { recursive: true });
        this.netns = NetnsRegions.create({ regions: this.regions, dataDir: (r) => join(dir.data, r), resourcesFile: resources, logDir: dir.logs, pidFile: this.pidFile });
      }
      this.toxiproxy = await startToxiproxy({ logFile: join(dir.logs, 'toxiproxy.log'), pidFile: this.pidFile, seed: this.opts.seed });
      const ports = this.netns ? [] : await freePorts(this.regions.length * 2);
      this.regions.forEach((name, i) =>
        this.byName.set(name, {
          name,
          ports: this.netns ? { ...NETNS_PORTS } : { node: ports[2 * i], redis: ports[2 * i + 1] },
          configFile: join(dir.root, `node-${name}.json`),
          redisLog: join(dir.logs, `${name}-redis.log`),
          nodeLog: join(dir.logs, `${name}-node.log`),
          dataDir: join(dir.data, name),
          state: 'killed',
        }),
      );
      // A region's outgoing peer links listen where it can reach them: the host end of its veth under netns.
      const peerListen = (from: string) => `${this.netns ? this.netns.address(from).hostSide : '127.0.0.1'}:0`;
      const links = this.regions.flatMap((r) => [
        { link: clientLink(r), upstream: `${this.hostOf(r)}:${this.region(r).ports.node}` },
        ...this.regions.filter((o) => o !== r).map((o) => ({ link: peerLink(r, o), upstream: `${this.hostOf(o)}:${this.region(o).ports.node}`, listen: peerListen(r) })),
      ]);
      this.net = await ToxiproxyFaultNetwork.create(this.toxiproxy.client, links);
      for (const r of this.byName.values()) this.writeConfig(r);
      await Promise.all([...this.byName.values()].map((r) => this.startRegion(r)));
    } catch (e) {
      await this.teardown().catch(() => undefined);
      throw e;
    }
  }

  private writeConfig(r: Region): void {
    const cfg = layerNodeConfig({
      region: r.name, regions: this.regions, ports: r.ports, host: this.hostOf(r.name),
      peerAddress: (to) => this.network.address(peerLink(r.name, to)),
      secret: this.secret, adminToken: this.adminToken, redisPassword: this.redisPassword, bugs: this.opts.bugs ?? [], logLevel: this.opts.logLevel,
      proposers: this.opts.proposers, batchSize: this.opts.batchSize,
    });
    // It holds the HMAC secret, the admin token and the Redis password: readable by this user only. The mode given
    // to writeFileSync applies only when the file is created, so a rewrite (the region moved ports) chmods as well.
    writeFileSync(r.configFile, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    chmodSync(r.configFile, 0o600);
  }

  /**
   * Starts Redis and the node. Ports come from freePorts and are free only "probably" (other tests and runs
   * share the machine, and a killed region's ports may be taken before its restart), so a bind conflict
   * moves the region to new ports, rewrites its config and points the proxies that lead to it there.
   */
  private async startRegion(r: Region): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const from = { redis: logSize(r.redisLog), node: logSize(r.nodeLog) };
      try {
        await this.startProcesses(r);
        return;
      } catch (e) {
        await Promise.all([r.node?.stop(0), r.redis?.stop(0)]);
        const conflict = [logSince(r.redisLog, from.redis), logSince(r.nodeLog, from.node)].some((t) => /EADDRINUSE|Address already in use/.test(t));
        if (!conflict || attempt >= 3) throw e;
        const [node, redis] = await freePorts(2);
        r.ports = { node, redis };
        this.writeConfig(r);
        const upstream = `${this.hostOf(r.name)}:${node}`;
        await Promise.all([clientLink(r.name), ...this.regions.filter((o) => o !== r.name).map((o) => peerLink(o, r.name))].map((l) => this.network.retarget(l, upstream)));
      }
    }
  }

  private async startProcesses(r: Region): Promise<void> {
    await this.netns?.start(r.name);
    const launch = this.launcher(r.name);
    r.redis = await startRedis({
      name: `redis ${r.name}`, port: r.ports.redis, password: this.redisPassword, configFile: join(this.opts.dir.root, `redis-${r.name}.conf`),
      dataDir: r.dataDir, logFile: r.redisLog, pidFile: this.pidFile, host: this.hostOf(r.name), launch,
    });
    const from = logSize(r.nodeLog);
    const entry = this.opts.nodeEntry ?? ownModule('layer/main.ts');
    const node = spawnGroup({
      name: `node ${r.name}`,
      ...launch(process.execPath, [...nodeArgsFor(entry), '--config', r.configFile], REPO_ROOT),
      cwd: REPO_ROOT,
      logFile: r.nodeLog,
      pidFile: this.pidFile,
    });
    r.node = node;
    // Only a node that dies on its own while up counts as crashed: kill and teardown change the state first.
    void node.exited.then(() => {
      if (r.node === node && r.state === 'up') r.state = 'crashed';
    });
    const timeout = this.opts.readyTimeoutMs ?? 30_000;
    await waitUntilReady(
      Wait.forAll([Wait.forLog(r.nodeLog, /listening/, timeout, from), Wait.forHttp(`http://${this.hostOf(r.name)}:${r.ports.node}/health`, (s) => s === 200, timeout)], timeout),
      { name: `node ${r.name}`, logFile: r.nodeLog, exited: r.node.exited },
    );
    r.state = 'up';
  }

  async kill(region: string): Promise<void> {
    const r = this.region(region);
    if (r.state === 'killed') throw new Error(`local target: ${region} is already killed`);
    // Both at once: a node outliving its Redis (or the reverse) is a different fault from a region crash.
    if (this.netns) await this.netns.kill(region);
    r.node?.kill('SIGKILL');
    r.redis?.kill('SIGKILL');
    await Promise.all([r.node?.stop(0), r.redis?.stop(0)]);
    r.state = 'killed';
  }

  async restart(region: string): Promise<void> {
    const r = this.region(region);
    if (r.state === 'crashed') await this.kill(region);
    if (r.state !== 'killed') throw new Error(`local target: ${region} is ${r.state}, not killed; nothing to restart`);
    await this.startRegion(r);
  }

  async armFailpoint(region: string, spec: Omit<FailpointValue, 'region'>): Promise<void> {
    const r = this.region(region);
    if (r.state !== 'up') throw new Error(`local target: ${region} is ${r.state}; failpoints are armed on a running node`);
    await this.admin.call(region, 'POST', '/admin/failpoints', spec);
  }

  async clearFailpoints(region: string): Promise<{ fired: Record<string, number>; restarted: boolean }> {
    const r = this.region(region);
    if (r.state === 'up') {
      try {
        const body = (await this.admin.call(region, 'DELETE', '/admin/failpoints')) as { fired?: Record<string, number> };
        return { fired: body.fired ?? {}, restarted: false };
      } catch (e) {
        // The node may be crashing at a failpoint this very moment: the refused call comes before the exit is seen.
        const exited = await Promise.race([r.node!.exited.then(() => true), new Promise<false>((res) => setTimeout(() => res(false), 2000).unref())]);
        if (!exited) throw e;
      }
    }
    if (r.state === 'crashed') {
      await this.restart(region);
      return { fired: {}, restarted: true };
    }
    if (r.state === 'killed') return { fired: {}, restarted: false };
    throw new Error(`local target: ${region} is ${r.state}; its failpoints cannot be cleared now`);
  }

  async pause(region: string): Promise<void> {
    const r = this.region(region);
    if (r.state !== 'up') throw new Error(`local target: ${region} is ${r.state}; only a running region can be paused`);
    if (this.netns) {
      await this.netns.signalAll(region, 'SIGSTOP');
      r.state = 'paused';
      return;
    }
    r.node!.kill('SIGSTOP');
    r.redis!.kill('SIGSTOP');
    r.state = 'paused';
    await this.confirmStopped(r, true);
  }

  private async confirmStopped(r: Region, stopped: boolean): Promise<void> {
    for (const g of [r.node!, r.redis!]) {
      if (!(await groupInState(g.pid, stopped))) throw new Error(`local target: ${g.name} did not ${stopped ? 'stop' : 'continue'} after ${stopped ? 'SIGSTOP' : 'SIGCONT'}`);
    }
  }

  async resume(region: string): Promise<void> {
    const r = this.region(region);
    if (r.state !== 'paused') throw new Error(`local target: ${region} is ${r.state}, not paused`);
    if (this.netns) {
      await this.netns.signalAll(region, 'SIGCONT');
      r.state = 'up';
      return;
    }
    r.redis!.kill('SIGCONT');
    r.node!.kill('SIGCONT');
    r.state = 'up';
    await this.confirmStopped(r, false);
  }

  setClockOffset(region: string, offsetMs: number): Promise<void> {
    return this.admin.setClockOffset(region, offsetMs);
  }

  setClockTick(region: string, tickMs: number | null): Promise<void> {
    return this.admin.setClockTick(region, tickMs);
  }

  async teardown(): Promise<void> {
    const groups: ProcessGroup[] = [];
    for (const r of this.byName.values()) {
      for (const g of [r.node, r.redis]) if (g) groups.push(g);
      // A stopped process would sit on SIGTERM until the grace period ran out.
      if (r.state === 'paused') for (const g of [r.node, r.redis]) g?.kill('SIGCONT');
      r.state = 'killed';
    }
    // Killing each namespace's init takes its whole region at once; a SIGTERM grace period would buy nothing here.
    await this.netns?.teardown();
    this.netns = undefined;
    await Promise.all(groups.map((g) => g.stop(2000)));
    await this.toxiproxy?.stop();
    this.net = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }
}

