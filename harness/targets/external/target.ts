import { exec } from 'node:child_process';
import { clientLink, peerLink, type HasFaultNetwork, type Killable, type Pausable, type Target } from '../../core/target.ts';
import { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { ToxiproxyClient } from '../../net/toxiproxy.ts';
import type { ExternalConfig, RegionCommand } from './config.ts';
import { RoutedFaultNetwork } from './routed-network.ts';

/**
 * A deployment Rift did not start (other hosts, a Kubernetes cluster, a script on this machine): Rift deploys
 * nothing and knows only what the config names. Clients dial each region's client endpoint; partitions, latency
 * and bandwidth go to the proxies of the Toxiproxy beside each region (its inbound links); kill, restart, pause
 * and resume run the region's shell commands. setup() adopts the proxies and clears faults an earlier run left;
 * teardown() clears the faults again and leaves the deployment running.
 */
export class ExternalTarget implements Target, Killable, Pausable, HasFaultNetwork {
  readonly name = 'external';
  readonly regions: readonly string[];
  private net?: RoutedFaultNetwork;

  constructor(private readonly config: ExternalConfig, private readonly commandTimeoutMs = 120_000) {
    this.regions = Object.keys(config.regions);
  }

  get network(): RoutedFaultNetwork {
    if (!this.net) throw new Error('external target: the network exists only between setup() and teardown()');
    return this.net;
  }

  private region(name: string) {
    const r = this.config.regions[name];
    if (!r) throw new Error(`external target: unknown region "${name}"; regions are ${this.regions.join(', ')}`);
    return r;
  }

  clientEndpoint(region: string): { host: string; port: number } {
    return this.region(region).client;
  }

  /** The links whose proxies live beside `region`: every one that leads into it. */
  static inboundLinks(region: string, regions: readonly string[]): string[] {
    return [clientLink(region), ...regions.filter((o) => o !== region).map((o) => peerLink(o, region))];
  }

  async setup(): Promise<void> {
    const byApi = new Map<string, string[]>();
    for (const r of this.regions) {
      const api = this.region(r).toxiproxy;
      byApi.set(api, [...(byApi.get(api) ?? []), ...ExternalTarget.inboundLinks(r, this.regions)]);
    }
    const parts = await Promise.all([...byApi].map(async ([api, links]) => {
      try {
        return await ToxiproxyFaultNetwork.attach(new ToxiproxyClient(api), links);
      } catch (e) {
        throw new Error(`external target (${this.config.file}): ${(e as Error).message}`);
      }
    }));
    this.net = new RoutedFaultNetwork(parts);
    await this.net.healAll();
  }

  async teardown(): Promise<void> {
    await this.net?.healAll();
    this.net = undefined;
  }

  private run(region: string, command: RegionCommand): Promise<void> {
    const line = this.region(region).commands[command];
    return new Promise((resolve, reject) => {
      exec(line, { shell: '/bin/sh', env: { ...process.env, RIFT_REGION: region }, timeout: this.commandTimeoutMs, encoding: 'utf8' }, (err, _out, stderr) => {
        if (err) reject(new Error(`external target: ${command} ${region} failed (${err.killed ? `timed out after ${this.commandTimeoutMs} ms` : `exit ${err.code}`}): ${line}: ${stderr.trim().slice(-300)}`));
        else resolve();
      });
    });
  }

  kill(region: string): Promise<void> {
    return this.run(region, 'kill');
  }

  restart(region: string): Promise<void> {
    return this.run(region, 'restart');
  }

  pause(region: string): Promise<void> {
    return this.run(region, 'pause');
  }

  resume(region: string): Promise<void> {
    return this.run(region, 'resume');
  }
}
