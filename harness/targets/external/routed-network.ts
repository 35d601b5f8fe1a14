import type { CutMode, FaultNetwork } from '../../core/target.ts';

/**
 * One fault network over several: each link belongs to exactly one of them (a Toxiproxy beside each region).
 * Faults on links go to the network holding them; heals go to all.
 */
export class RoutedFaultNetwork implements FaultNetwork {
  private readonly owner = new Map<string, FaultNetwork>();

  constructor(private readonly parts: readonly FaultNetwork[]) {
    for (const p of parts) {
      for (const l of p.links) {
        if (this.owner.has(l)) throw new Error(`link ${l} is held by two fault networks`);
        this.owner.set(l, p);
      }
    }
  }

  get links(): readonly string[] {
    return [...this.owner.keys()];
  }

  private of(link: string): FaultNetwork {
    const p = this.owner.get(link);
    if (!p) throw new Error(`unknown link "${link}"; known: ${this.links.join(', ')}`);
    return p;
  }

  async cut(links: readonly string[], mode: CutMode): Promise<void> {
    const byPart = new Map<FaultNetwork, string[]>();
    for (const l of links) byPart.set(this.of(l), [...(byPart.get(this.of(l)) ?? []), l]);
    await Promise.all([...byPart].map(([p, ls]) => p.cut(ls, mode)));
  }

  async heal(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.heal()));
  }

  async setLatency(link: string, latencyMs: number, jitterMs: number): Promise<void> {
    await this.of(link).setLatency(link, latencyMs, jitterMs);
  }

  async clearLatency(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.clearLatency()));
  }

  async setBandwidth(link: string, rateKBps: number): Promise<void> {
    await this.of(link).setBandwidth(link, rateKBps);
  }

  async clearBandwidth(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.clearBandwidth()));
  }

  async healAll(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.healAll()));
  }
}
