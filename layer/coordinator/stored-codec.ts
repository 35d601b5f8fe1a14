import type { Stored } from '../resolver/index.ts';

/** Stored JSON as this node itself wrote it to Redis ('' = absent); peers' states go through the resolver's parseStored. */
export function decodeStored(json: string): Stored | undefined {
  return json === '' ? undefined : (JSON.parse(json) as Stored);
}
