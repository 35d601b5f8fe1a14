import { execFileSync } from 'node:child_process';

/**
 * Addresses of namespaced regions. Every region gets a /30 of its own inside 10.254.<block>.0/24: the host side
 * of its veth pair takes .4i+1, the namespace side .4i+2. The block is one no interface on this machine uses
 * yet, so parallel runs never share a subnet; nothing outside the namespaces a run creates is ever addressed.
 */

export interface RegionAddress {
  /** The host end of the veth pair: where Toxiproxy listens for this region's outgoing peer links. */
  hostSide: string;
  /** The namespace end: the only address the region's Redis and node listen on. */
  inside: string;
}

export const MAX_NETNS_REGIONS = 64;

export function regionAddress(block: number, index: number): RegionAddress {
  if (!Number.isInteger(block) || block < 0 || block > 255) throw new Error(`address block ${block} is not 0..255`);
  if (!Number.isInteger(index) || index < 0 || index >= MAX_NETNS_REGIONS) throw new Error(`region index ${index} is not 0..${MAX_NETNS_REGIONS - 1}`);
  return { hostSide: `10.254.${block}.${4 * index + 1}`, inside: `10.254.${block}.${4 * index + 2}` };
}

/** Third octets of 10.254.x.y already on some interface of the host. */
export function usedBlocks(): Set<number> {
  const out = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  const used = new Set<number>();
  for (const m of out.matchAll(/inet 10\.254\.(\d+)\.\d+/g)) used.add(Number(m[1]));
  return used;
}

/** A free block, starting the search at `start` so concurrent runs rarely race for the same one. */
export function pickBlock(used: ReadonlySet<number>, start: number): number {
  for (let i = 0; i < 256; i++) {
    const b = (start + i) % 256;
    if (!used.has(b)) return b;
  }
  throw new Error('every 10.254.x.0/24 block is in use; run `rift clean` to remove namespaces crashed runs left behind');
}
