import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { logSince, logSize } from '../../process/log-file.ts';
import { join } from 'node:path';
import { clientLink, peerLink, type HasFaultNetwork, type HasLogs, type Killable, type Pausable, type Target } from '../../core/target.ts';
import { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { startToxiproxy, type ToxiproxyClient, type ToxiproxyServer } from '../../net/toxiproxy.ts';
import { freePorts } from '../../process/ports.ts';
import { reapPidFile, spawnGroup } from '../../process/spawn.ts';
import { RegionProcesses } from '../region-processes.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';
export { etcdPartitionShapes } from './links.ts';
import { dialAddress, HOST, healthUrl, memberArgs, memberHosts, planMembers, type Member } from './members.ts';
import { checkHostsIsolation, withHostsFile } from './namespace.ts';
import { EtcdFaultNetwork } from './network.ts';

/**
 * A real etcd cluster (Debian's etcd-server, binary `etcd`): one member per region, every client and peer byte
 * through Toxiproxy, with a proxy per client link and per ordered pair of members (members.ts says how one shared
 * --initial-cluster leads each member to its own proxies). Members keep their data dirs across kill/restart, so a
 * restarted member rejoins with its log. Which partitions it can express is documented in links.ts.
 */

export interface EtcdTargetOptions {
  regions: readonly string[];
  /** The run directory: member data under `data/`, logs under `logs/`, the pid file at the root. */
  dir: { root: string; logs: string; data: string };
  /** A running Toxiproxy server to put the proxies on; by default the target starts its own. */
  toxiproxy?: ToxiproxyClient;
  /** Seeds the Toxiproxy server the target starts. */
  seed?: number;
  /** How long the whole cluster may take to report healthy (default 30 s). */
  readyTimeoutMs?: number;
}

export type EtcdTarget = Target & Killable & Pausable & HasLogs & HasFaultNetwork;

const ETCD_BIN = (): string => process.env.RIFT_ETCD_BIN ?? 'etcd';

class EtcdCluster implements EtcdTarget {
  readonly name = 'etcd';
  readonly regions: readonly string[];
  private members: Member[] = [];
  private readonly procs = new RegionProcesses('etcd member');
  private ownServer: ToxiproxyServer | undefined;
  private inner: ToxiproxyFaultNetwork | undefined;
  private net: EtcdFaultNetwork | undefined;
  private readonly token = `rift-etcd-${process.pid}-${Date.now()}`;
  private readonly pidFile: string;

  constructor(private readonly opts: EtcdTargetOptions) {
    this.regions = [...opts.regions];
    this.pidFile = join(opts.dir.root, 'pids.jsonl');
  }

  get network(): EtcdFaultNetwork {
    if (!this.net) throw new Error('etcd target: the network exists only after setup()');
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
    // Members a crashed harness left behind in this run dir would hold its data dirs.
    reapPidFile(this.pidFile);
    const hostsRoot = join(dir.root, 'etcd-hosts');
    mkdirSync(hostsRoot, { recursive: true });
    const probe = join(hostsRoot, 'check.hosts');
    writeFileSync(probe, `${HOST} localhost\n`);
    checkHostsIsolation(probe);
    const listenPorts = await freePorts(2 * regions.length);
    // Every proxy to a member listens on the member's advertised port, each on its own loopback address: the port
    // must be free on all of them.
    const advertised = await freePorts(regions.length, '0.0.0.0');
    this.members = planMembers(regions, dir.data, dir.logs, hostsRoot, regions.map((_, i) => ({
      client: listenPorts[2 * i], peer: listenPorts[2 * i + 1], clientProxy: 0, advertisedPeer: advertised[i],
    })));
    let proxies = this.opts.toxiproxy;
    if (!proxies) {
      this.ownServer = await startToxiproxy({ logFile: join(dir.logs, 'toxiproxy.log'), pidFile: this.pidFile, seed: this.opts.seed });
      proxies = this.ownServer.client;
    }
    const members = this.members;
    this.inner = await ToxiproxyFaultNetwork.create(proxies, [
      ...members.map((m) => ({ link: clientLink(m.region), upstream: `${HOST}:${m.ports.client}` })),
      ...members.flatMap((from) => members.filter((to) => to !== from).map((to) => ({
        link: peerLink(from.region, to.region), upstream: `${HOST}:${to.ports.peer}`, listen: `${dialAddress(from, to)}:${to.ports.advertisedPeer}`,
      }))),
    ]);
    this.net = new EtcdFaultNetwork(regions, this.inner);
    const base = existsSync('/etc/hosts') ? readFileSync('/etc/hosts', 'utf8') : `${HOST} localhost\n`;
    for (const m of members) {
      m.ports.clientProxy = this.inner.address(clientLink(m.region)).port;
      writeFileSync(m.hostsFile, memberHosts(m, members, base));
    }
    for (const m of this.members) await this.launch(m);
    // A member is healthy only once the cluster has a leader, so all members must be started before waiting.
    await Promise.all(this.members.map((m) => {
      const g = this.procs.get(m.region)!;
      const healthy = Wait.forHttp(healthUrl(m), (s, body) => s === 200 && body.includes('"true"'), this.opts.readyTimeoutMs ?? 30_000);
      return waitUntilReady(healthy, { name: g.name, logFile: m.logFile, exited: g.exited });
    }));
  }

  /**
   * Starts a member and waits until its listeners are bound (it logs that it serves), which needs no quorum. Ports
   * from freePorts are only probably free (other runs share the machine, and a killed member's ports may be taken
   * before its restart), so a bind conflict moves the member to new listen ports and retargets its two proxies;
   * its advertised peer URL, and so its identity in the cluster, stays the same.
   */
  private async launch(m: Member): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      mkdirSync(m.dataDir, { recursive: true });
      const from = logSize(m.logFile);
      const { command, args } = withHostsFile(m.hostsFile, ETCD_BIN(), memberArgs(m, this.members, this.token));
      const g = spawnGroup({ name: `etcd ${m.region}`, command, args, logFile: m.logFile, pidFile: this.pidFile });
      this.procs.set(m.region, g);
      try {
        const serving = Wait.forLog(m.logFile, /now serving peer\/client\/metrics/, 20_000, from);
        await waitUntilReady(serving, { name: g.name, logFile: m.logFile, exited: g.exited });
        return;
      } catch (e) {
        await g.stop(0);
        if (attempt >= 3 || !/address already in use/.test(logSince(m.logFile, from))) throw e;
        const [client, peer] = await freePorts(2);
        m.ports = { ...m.ports, client, peer };
        await this.inner!.retarget(clientLink(m.region), `${HOST}:${client}`);
        for (const from of this.members) if (from !== m) await this.inner!.retarget(peerLink(from.region, m.region), `${HOST}:${peer}`);
      }
    }
  }

  private member(region: string): Member {
    const m = this.members.find((x) => x.region === region);
    if (!m) throw new Error(`etcd target: no member in region "${region}" (regions: ${this.regions.join(', ')})`);
    return m;
  }

  clientEndpoint(region: string): { host: string; port: number } {
    this.member(region);
    if (!this.inner) throw new Error('etcd target: endpoints exist only after setup()');
    return this.inner.address(clientLink(region));
  }

  /** SIGKILL; the data dir stays for restart. Killing a member that is down does nothing. */
  async kill(region: string): Promise<void> {
    this.member(region);
    await this.procs.kill(region);
  }

  /**
   * Starts the member again on its data dir and waits until its listeners are bound. It does not wait for health:
   * whether the member can rejoin depends on the faults in force, which is what the run observes.
   */
  async restart(region: string): Promise<void> {
    const m = this.member(region);
    if (this.procs.running(region)) return;
    await this.launch(m);
  }

  async pause(region: string): Promise<void> {
    this.member(region);
    this.procs.pause(region);
  }

  async resume(region: string): Promise<void> {
    this.member(region);
    this.procs.resume(region);
  }

  logFiles(): readonly string[] {
    return [...this.members.map((m) => m.logFile), ...(this.ownServer ? [join(this.opts.dir.logs, 'toxiproxy.log')] : [])];
  }

  async teardown(): Promise<void> {
    const errors: string[] = [];
    await this.procs.stopAll();
    if (this.inner && !this.ownServer) await this.inner.destroy().catch((e: Error) => errors.push(e.message));
    await this.ownServer?.stop().catch((e: Error) => errors.push(e.message));
    this.ownServer = undefined;
    if (errors.length) throw new Error(`etcd target teardown: ${errors.join('; ')}`);
  }
}

export function createEtcdTarget(opts: EtcdTargetOptions): EtcdTarget {
  // Bad region names fail here, before anything is started.
  planMembers(opts.regions, opts.dir.data, opts.dir.logs, opts.dir.root, opts.regions.map(() => ({ client: 0, peer: 0, clientProxy: 0, advertisedPeer: 0 })));
  return new EtcdCluster(opts);
}
