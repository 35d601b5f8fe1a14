import type { CutMode, FaultNetwork } from '../core/target.ts';
import type { Proxy, Stream, ToxicAttributes, ToxicType, ToxiproxyClient } from './toxiproxy.ts';

/**
 * The fault network over Toxiproxy: one proxy per directed link (names in harness/core/target.ts,
 * `client:<region>` and `peer:<from>-><to>`), faults applied as proxy state and toxics.
 *
 *   clean cut   `enabled:false`: the listener closes, so connects are refused and open connections drop.
 *   black hole  a `timeout` toxic with timeout 0 on both streams: connects still succeed, every byte is
 *               dropped, nothing is closed. Removing it closes the connections that went through it
 *               (Toxiproxy's timeout cleanup), so a healed black hole looks like a reset to the endpoints.
 *   latency     `latency` toxics on both streams; bandwidth: `bandwidth` toxics on both streams.
 *
 * Known limit: a connection opened while a toxic is being added may escape it (Toxiproxy #148). Toxics
 * do reach connections already open, which is what keep-alive peer traffic mostly is; a clean cut has no
 * such window, since it closes the listener.
 *
 * Toxiproxy proxy names are plain (`client_us-east`, `peer_us-east_to_eu-west`) so they survive URL paths;
 * the link names stay the vocabulary everywhere else. heal() reads the server's state instead of trusting
 * memory, so it also repairs faults whose application failed half way.
 */

export interface LinkUpstream {
  link: string;
  /** host:port the link leads to. */
  upstream: string;
  /** host:port the proxy listens on (default: a port the server picks on 127.0.0.1). */
  listen?: string;
}

const CUT = 'rift-cut';
const LATENCY = 'rift-latency';
const BANDWIDTH = 'rift-bandwidth';
const STREAMS: readonly Stream[] = ['upstream', 'downstream'];
const toxicName = (prefix: string, s: Stream) => `${prefix}-${s === 'upstream' ? 'up' : 'down'}`;

export function proxyName(link: string): string {
  const client = /^client:(.+)$/.exec(link);
  if (client) return `client_${client[1]}`;
  const peer = /^peer:(.+)->(.+)$/.exec(link);
  if (peer) return `peer_${peer[1]}_to_${peer[2]}`;
  throw new Error(`not a link name: "${link}" (expected client:<region> or peer:<from>-><to>)`);
}

export class ToxiproxyFaultNetwork implements FaultNetwork {
  private constructor(
    private readonly client: ToxiproxyClient,
    private readonly listens: ReadonlyMap<string, { host: string; port: number }>,
  ) {}

  /** Creates (or replaces) one proxy per link, each listening where asked or on a port the server picks. */
  static async create(client: ToxiproxyClient, links: readonly LinkUpstream[]): Promise<ToxiproxyFaultNetwork> {
    const listens = new Map<string, { host: string; port: number }>();
    for (const { link, upstream, listen } of links) {
      const name = proxyName(link);
      await client.deleteProxy(name).catch(() => undefined);
      const p = await client.createProxy({ name, listen: listen ?? '127.0.0.1:0', upstream, enabled: true });
      listens.set(link, parseHostPort(p.listen, `proxy ${name}`));
    }
    return new ToxiproxyFaultNetwork(client, listens);
  }

  /**
   * Adopts proxies someone else made (a deployment Rift did not start): one per link, named by proxyName(link).
   * Throws naming every link whose proxy the server does not have.
   */
  static async attach(client: ToxiproxyClient, links: readonly string[]): Promise<ToxiproxyFaultNetwork> {
    const proxies = await client.proxies();
    const missing = links.filter((l) => !proxies[proxyName(l)]);
    if (missing.length) throw new Error(`toxiproxy ${client.url} has no proxy for ${missing.map((l) => `${l} (${proxyName(l)})`).join(', ')}`);
    return new ToxiproxyFaultNetwork(client, new Map(links.map((l) => [l, parseHostPort(proxies[proxyName(l)].listen, `proxy ${proxyName(l)}`)])));
  }

  get links(): readonly string[] {
    return [...this.listens.keys()];
  }

  /** Where a connection for `link` must go to pass through its proxy. */
  address(link: string): { host: string; port: number } {
    const a = this.listens.get(link);
    if (!a) throw new Error(`unknown link "${link}"; known: ${this.links.join(', ')}`);
    return a;
  }

  private name(link: string): string {
    this.address(link);
    return proxyName(link);
  }

  async cut(links: readonly string[], mode: CutMode): Promise<void> {
    await this.applyCut(links, mode);
    // The API answering is not proof: read the server's state back, so "took effect" means what it says.
    const state = new Map((await this.ours()).map((p) => [p.name, p]));
    const missing = links.filter((l) => {
      const p = state.get(proxyName(l));
      if (!p) return true;
      if (mode === 'clean') return p.enabled;
      const names = new Set(p.toxics.map((t) => t.name));
      return !STREAMS.every((st) => names.has(toxicName(CUT, st)));
    });
    if (missing.length) throw new Error(`toxiproxy does not show the ${mode} cut on ${missing.join(', ')}`);
  }

  private async applyCut(links: readonly string[], mode: CutMode): Promise<void> {
    await Promise.all(
      links.map(async (link) => {
        const name = this.name(link);
        if (mode === 'clean') {
          await this.client.setEnabled(name, false);
          return;
        }
        const present = new Set((await this.client.toxics(name)).map((t) => t.name));
        await Promise.all(
          STREAMS.filter((s) => !present.has(toxicName(CUT, s))).map((stream) =>
            this.client.addToxic(name, { name: toxicName(CUT, stream), type: 'timeout', stream, toxicity: 1, attributes: { timeout: 0 } }),
          ),
        );
      }),
    );
  }

  private async ours(): Promise<Proxy[]> {
    const names = new Set(this.links.map(proxyName));
    return Object.values(await this.client.proxies()).filter((p) => names.has(p.name));
  }

  private async removeToxics(prefix: string): Promise<void> {
    const proxies = await this.ours();
    await Promise.all(
      proxies.flatMap((p) => p.toxics.filter((t) => t.name.startsWith(prefix + '-')).map((t) => this.client.removeToxic(p.name, t.name))),
    );
  }

  async heal(): Promise<void> {
    await this.removeToxics(CUT);
    const proxies = await this.ours();
    await Promise.all(proxies.filter((p) => !p.enabled).map((p) => this.client.setEnabled(p.name, true)));
  }

  private async putToxic(link: string, prefix: string, type: ToxicType, attributes: ToxicAttributes[ToxicType]): Promise<void> {
    const name = this.name(link);
    const present = new Set((await this.client.toxics(name)).map((t) => t.name));
    await Promise.all(
      STREAMS.map((stream) => {
        const tn = toxicName(prefix, stream);
        return present.has(tn)
          ? this.client.updateToxic(name, tn, { attributes })
          : this.client.addToxic(name, { name: tn, type, stream, toxicity: 1, attributes });
      }),
    );
  }

  async setLatency(link: string, latencyMs: number, jitterMs: number): Promise<void> {
    if (!(latencyMs >= 0) || !(jitterMs >= 0)) throw new Error(`latency and jitter must be ≥ 0 ms, got ${latencyMs} ± ${jitterMs}`);
    await this.putToxic(link, LATENCY, 'latency', { latency: Math.round(latencyMs), jitter: Math.round(jitterMs) });
  }

  async clearLatency(): Promise<void> {
    await this.removeToxics(LATENCY);
  }

  async setBandwidth(link: string, rateKBps: number): Promise<void> {
    if (!(rateKBps > 0)) throw new Error(`bandwidth must be > 0 KB/s, got ${rateKBps}`);
    await this.putToxic(link, BANDWIDTH, 'bandwidth', { rate: Math.round(rateKBps) });
  }

  async clearBandwidth(): Promise<void> {
    await this.removeToxics(BANDWIDTH);
  }

  async healAll(): Promise<void> {
    await this.heal();
    await this.removeToxics('rift');
  }

  /** Points a link at a new upstream (a region that came back on another port); its listen address stays. */
  async retarget(link: string, upstream: string): Promise<void> {
    await this.client.updateProxy(this.name(link), { upstream });
  }

  /** Deletes the proxies, closing every connection through them. */
  async destroy(): Promise<void> {
    await Promise.all(this.links.map((l) => this.client.deleteProxy(proxyName(l))));
  }
}

export function parseHostPort(s: string, what: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new Error(`${what}: "${s}" is not host:port`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}
