import type { CutMode, FaultNetwork } from '../../core/target.ts';
import type { ToxiproxyFaultNetwork } from '../../net/fault-proxy.ts';
import { etcdLinks, refuseCut } from './links.ts';

/**
 * The etcd target's fault network: one proxy per client link and per ordered pair of members, under the usual
 * link names. A cut it cannot express (a one-way peer cut, see links.ts) throws before touching anything, so the
 * nemesis records the fault as not taken effect.
 */
export class EtcdFaultNetwork implements FaultNetwork {
  private cutLinks: string[] = [];

  constructor(
    private readonly regions: readonly string[],
    private readonly inner: ToxiproxyFaultNetwork,
  ) {}

  get links(): readonly string[] {
    return etcdLinks(this.regions);
  }

  async cut(links: readonly string[], mode: CutMode): Promise<void> {
    const refused = refuseCut(this.regions, this.cutLinks, links);
    if (refused) throw new Error(refused);
    await this.inner.cut(links, mode);
    this.cutLinks = [...new Set([...this.cutLinks, ...links])];
  }

  async heal(): Promise<void> {
    await this.inner.heal();
    this.cutLinks = [];
  }

  setLatency(link: string, latencyMs: number, jitterMs: number): Promise<void> {
    return this.inner.setLatency(link, latencyMs, jitterMs);
  }

  clearLatency(): Promise<void> {
    return this.inner.clearLatency();
  }

  setBandwidth(link: string, rateKBps: number): Promise<void> {
    return this.inner.setBandwidth(link, rateKBps);
  }

  clearBandwidth(): Promise<void> {
    return this.inner.clearBandwidth();
  }

  async healAll(): Promise<void> {
    await this.inner.healAll();
    this.cutLinks = [];
  }
}
