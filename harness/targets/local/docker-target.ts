import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ClockSkewable, type ClockSteppable, type HasFaultNetwork, type HasLogs, type Killable, type Pausable, type Target } from '../../core/target.ts';
import { DEFAULT_REGIONS } from '../../core/run-spec.ts';
import { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { ToxiproxyClient } from '../../net/toxiproxy.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';
import type { ContainerRuntime, StartedContainer } from '../../isolation/docker/runtime.ts';
import {
  dockerPlan, IMAGES, names, networkSpecs, ports, proxyMap, regionSpec, toxiproxySpec, volumeSpecs, TOXIPROXY_API_PORT,
  type DockerPlan, type NodeOptions, type ToxiproxyAddresses,
} from '../../isolation/docker/specs.ts';
import { LayerAdmin } from './layer-admin.ts';

/**
 * The local target with `--isolation docker`: the same regions (Redis and a layer node each), links and faults as
 * LocalTarget, but every region is a container of docker/region on an internal network of its own, and Toxiproxy a
 * container of docker/toxiproxy on every region's network (the layout: isolation/docker/specs.ts). Clients reach
 * a region through its client proxy, published on the runtime's host; the harness reaches a node's admin API
 * through a proxy no fault touches. Kill is the runtime's SIGKILL of the container (Redis and node at once),
 * restart starts the same container again (same volume, same name), pause and resume freeze and thaw it.
 *
 * The runtime is testcontainers unless a test substitutes a fake (`connect`). No failpoints: a node that crashes
 * at one ends its container, and noticing that needs the runtime's events, which this backend does not follow.
 */

export interface DockerTargetOptions {
  /** The run directory: container logs go to `<logs>`. */
  dir: { root: string; logs: string; data: string };
  regions?: readonly string[];
  bugs?: readonly string[];
  seed?: number;
  logLevel?: NodeOptions['logLevel'];
  proposers?: NodeOptions['proposers'];
  batchSize?: number;
  /** How long a region may take to answer /health after its container starts, ms. */
  readyTimeoutMs?: number;
  connect: () => Promise<ContainerRuntime>;
  /** The Toxiproxy API client (a test may give a fake). */
  toxiproxyClient?: (url: string) => ToxiproxyClient;
}

type RegionState = 'up' | 'killed' | 'paused';

export class DockerTarget implements Target, Killable, Pausable, ClockSkewable, ClockSteppable, HasLogs, HasFaultNetwork {
  readonly name = 'local';
  readonly isolation = 'docker';
  readonly regions: readonly string[];
  private readonly plan: DockerPlan;
  private readonly secrets = { secret: randomBytes(24).toString('hex'), adminToken: randomBytes(12).toString('hex'), redisPassword: randomBytes(24).toString('hex') };
  private readonly admin: LayerAdmin;
  private runtime?: ContainerRuntime;
  private toxiproxy?: StartedContainer;
  private net?: ToxiproxyFaultNetwork;
  private readonly containers = new Map<string, string>();
  private readonly states = new Map<string, RegionState>();
  /** What setup made, so teardown removes exactly that, also after a setup that failed half way. */
  private readonly made = { networks: [] as string[], volumes: [] as string[] };

  constructor(private readonly opts: DockerTargetOptions) {
    this.plan = dockerPlan(randomBytes(4).toString('hex'), opts.regions ?? DEFAULT_REGIONS, opts.seed);
    this.regions = this.plan.regions;
    this.admin = new LayerAdmin('docker target', this.secrets.adminToken, (r) => this.nodeEndpoint(r));
  }

  /** The run's id in every container, network and volume name (`rift-<id>-…`) and in the `rift.run` label. */
  get runId(): string {
    return this.plan.runId;
  }

  get network(): ToxiproxyFaultNetwork {
    if (!this.net) throw new Error('docker target: the network exists only between setup() and teardown()');
    return this.net;
  }

  private proxyContainer(): StartedContainer {
    if (!this.toxiproxy) throw new Error('docker target: Toxiproxy runs only between setup() and teardown()');
    return this.toxiproxy;
  }

  clientEndpoint(region: string): { host: string; port: number } {
    const t = this.proxyContainer();
    return { host: t.host, port: t.mappedPort(ports.client(this.plan, region)) };
  }

  /** A node's admin API, through its admin proxy (no fault touches it). */
  nodeEndpoint(region: string): { host: string; port: number } {
    const t = this.proxyContainer();
    return { host: t.host, port: t.mappedPort(ports.admin(this.plan, region)) };
  }

  logFiles(): readonly string[] {
    return [this.logFile('toxiproxy'), ...this.regions.map((r) => this.logFile(r))];
  }

  private logFile(who: string): string {
    return join(this.opts.dir.logs, `${who}.log`);
  }

  private container(region: string): string {
    const id = this.containers.get(region);
    if (!id) throw new Error(`docker target: region ${region} has no container`);
    return id;
  }

  stateOf(region: string): RegionState {
    const s = this.states.get(region);
    if (!s) throw new Error(`docker target: unknown region "${region}"; regions are ${this.regions.join(', ')}`);
    return s;
  }

  async setup(): Promise<void> {
    mkdirSync(this.opts.dir.logs, { recursive: true });
    const runtime = await this.opts.connect();
    this.runtime = runtime;
    try {
      await Promise.all([runtime.build(IMAGES.toxiproxy), runtime.build(IMAGES.region)]);
      for (const n of networkSpecs(this.plan)) {
        await runtime.createNetwork(n);
        this.made.networks.push(n.name);
      }
      for (const v of volumeSpecs(this.plan)) {
        await runtime.createVolume(v);
        this.made.volumes.push(v.name);
      }
      const started = Date.now() / 1000;
      this.toxiproxy = await runtime.start(toxiproxySpec(this.plan));
      await runtime.followLogs(this.toxiproxy.id, this.logFile('toxiproxy'), Math.floor(started));
      const inRegions: Record<string, string> = {};
      for (const r of this.regions) inRegions[r] = await runtime.connect(this.toxiproxy.id, names(this.plan).network(r), []);
      const ips: ToxiproxyAddresses = { control: this.toxiproxy.ip, regions: inRegions };
      const api = `http://${this.toxiproxy.host}:${this.toxiproxy.mappedPort(TOXIPROXY_API_PORT)}`;
      const client = (this.opts.toxiproxyClient ?? ((url) => new ToxiproxyClient(url)))(api);
      const proxies = proxyMap(this.plan, ips);
      this.net = await ToxiproxyFaultNetwork.create(client, proxies.links);
      for (const p of proxies.admin) await client.createProxy(p);
      const node: NodeOptions = {
        bugs: this.opts.bugs ?? [], logLevel: this.opts.logLevel ?? 'info', proposers: this.opts.proposers ?? 'home',
        ...(this.opts.batchSize !== undefined ? { batchSize: this.opts.batchSize } : {}),
      };
      // Every start is let finish before a failure is thrown, so the teardown below knows every container made.
      const results = await Promise.allSettled(this.regions.map(async (r) => {
        const c = await runtime.start(regionSpec(this.plan, r, ips, this.secrets, node));
        this.containers.set(r, c.id);
        this.states.set(r, 'killed');
        await this.becomeReady(r, Math.floor(started));
      }));
      const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (e) {
      await this.teardown().catch(() => undefined);
      throw e;
    }
  }

  /** Follows the region's output from `sinceS` and waits until its node answers /health through its admin proxy. */
  private async becomeReady(region: string, sinceS: number): Promise<void> {
    await this.runtime!.followLogs(this.container(region), this.logFile(region), sinceS);
    const { host, port } = this.nodeEndpoint(region);
    const timeout = this.opts.readyTimeoutMs ?? 120_000;
    await waitUntilReady(Wait.forHttp(`http://${host}:${port}/health`, (s) => s === 200, timeout), { name: `region ${region} (container ${names(this.plan).container(region)})`, logFile: this.logFile(region) });
    this.states.set(region, 'up');
  }

  async kill(region: string): Promise<void> {
    const state = this.stateOf(region);
    if (state === 'killed') throw new Error(`docker target: ${region} is already killed`);
    // A frozen process cannot act on a signal: thaw it, then kill it before it has run for more than an instant.
    if (state === 'paused') await this.runtime!.unpause(this.container(region));
    await this.runtime!.kill(this.container(region));
    this.states.set(region, 'killed');
  }

  async restart(region: string): Promise<void> {
    const state = this.stateOf(region);
    if (state !== 'killed') throw new Error(`docker target: ${region} is ${state}, not killed; nothing to restart`);
    const since = Math.floor(Date.now() / 1000);
    await this.runtime!.startAgain(this.container(region));
    await this.becomeReady(region, since);
  }

  async pause(region: string): Promise<void> {
    const state = this.stateOf(region);
    if (state !== 'up') throw new Error(`docker target: ${region} is ${state}; only a running region can be paused`);
    await this.runtime!.pause(this.container(region));
    this.states.set(region, 'paused');
  }

  async resume(region: string): Promise<void> {
    const state = this.stateOf(region);
    if (state !== 'paused') throw new Error(`docker target: ${region} is ${state}, not paused`);
    await this.runtime!.unpause(this.container(region));
    this.states.set(region, 'up');
  }

  setClockOffset(region: string, offsetMs: number): Promise<void> {
    return this.admin.setClockOffset(region, offsetMs);
  }

  setClockTick(region: string, tickMs: number | null): Promise<void> {
    return this.admin.setClockTick(region, tickMs);
  }

  /** Removes every container, then the networks and volumes setup made; every removal is tried, the failures reported together. */
  async teardown(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    const errors: string[] = [];
    const attempt = async (what: string, f: () => Promise<void>) => {
      try {
        await f();
      } catch (e) {
        errors.push(`${what}: ${(e as Error).message}`);
      }
    };
    // Thawed first, as the local target continues stopped processes: removal must not rest on how an engine treats a frozen container.
    for (const [r, state] of this.states) if (state === 'paused') await attempt(`unpause ${r}`, () => runtime.unpause(this.container(r)));
    const ids = [...this.containers.values(), ...(this.toxiproxy ? [this.toxiproxy.id] : [])];
    await Promise.all(ids.map((id) => attempt(`remove container ${id}`, () => runtime.remove(id))));
    for (const n of this.made.networks.splice(0).reverse()) await attempt(`remove network ${n}`, () => runtime.removeNetwork(n));
    for (const v of this.made.volumes.splice(0)) await attempt(`remove volume ${v}`, () => runtime.removeVolume(v));
    this.containers.clear();
    this.states.clear();
    this.toxiproxy = undefined;
    this.net = undefined;
    this.runtime = undefined;
    if (errors.length) throw new Error(`docker target teardown: ${errors.join('; ')}`);
  }
}
