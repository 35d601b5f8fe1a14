import { clientLink, type CutMode, type FaultNetwork } from '../../core/target.ts';
import type { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { etcdLinks, inboundPeerLink, planCut } from './links.ts';

/**
 * The etcd target's fault network: the usual link vocabulary on the outside, one client proxy and one inbound
 * peer proxy per member on the inside (see links.ts for which cuts that can express). A cut it cannot express
 * throws before touching anything, so the nemesis records the fault as not taken effect.
 */
export class EtcdFaultNetwork implements FaultNetwork {
  private cutPairs: [string, string][] = [];

  constructor(
    private readonly regions: readonly string[],
    private readonly inner: ToxiproxyFaultNetwork,
  ) {}

  get links(): readonly string[] {
    return etcdLinks(this.regions);
  }

  async cut(links: readonly string[], mode: CutMode): Promise<void> {
    const plan = planCut(this.regions, this.cutPairs, links);
    if (!plan.ok) throw new Error(plan.error);
    await this.inner.cut([...plan.inbound.map(inboundPeerLink), ...plan.clients.map(clientLink)], mode);
    this.cutPairs = plan.peerPairs;
  }

  async heal(): Promise<void> {
    await this.inner.heal();
    this.cutPairs = [];
  }

  private clientOnly(link: string, what: string): void {
    if (!/^client:/.test(link) || !this.links.includes(link)) {
      throw new Error(
        `the etcd target cannot put ${what} on "${link}": only client links can carry it, because a member's inbound peer ` +
          'proxy is shared by every other member and carries traffic of both directions (see harness/targets/etcd/links.ts)',
      );
    }
  }

  async setLatency(link: string, latencyMs: number, jitterMs: number): Promise<void> {
    this.clientOnly(link, 'latency');
    await this.inner.setLatency(link, latencyMs, jitterMs);
  }

  async clearLatency(): Promise<void> {
    await this.inner.clearLatency();
  }

  async setBandwidth(link: string, rateKBps: number): Promise<void> {
    this.clientOnly(link, 'a bandwidth limit');
    await this.inner.setBandwidth(link, rateKBps);
  }

  async clearBandwidth(): Promise<void> {
    await this.inner.clearBandwidth();
  }

  async healAll(): Promise<void> {
    await this.inner.healAll();
    this.cutPairs = [];
  }
}
