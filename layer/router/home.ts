/**
 * Geo-partitioning: each key has one home region, from a placement rule (longest matching prefix) or else a
 * stable hash of the key over the sorted region list, so every node computes the same home for a key.
 */
export class HomeRouter {
  private readonly sorted: string[];

  constructor(
    regions: readonly string[],
    private readonly placement: readonly { prefix: string; region: string }[],
  ) {
    this.sorted = [...regions].sort();
  }

  homeOf(key: string): string {
    let best: { prefix: string; region: string } | undefined;
    for (const r of this.placement) if (key.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
    if (best) return best.region;
    return this.sorted[fnv1a(key) % this.sorted.length];
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
