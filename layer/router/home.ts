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
    return this.placed(key) ?? this.sorted[fnv1a(key) % this.sorted.length];
  }

  /**
   * Where a transaction runs: the placement region of its first key, else one region for all transactions (the
   * first in sorted order), so transactions over any mix of keys are serialized by one region's commits.
   */
  txnHome(firstKey: string): string {
    return this.placed(firstKey) ?? this.sorted[0];
  }

  private placed(key: string): string | undefined {
    let best: { prefix: string; region: string } | undefined;
    for (const r of this.placement) if (key.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
    return best?.region;
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
