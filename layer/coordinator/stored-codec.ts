import { parseStored, type Stored } from '../resolver/index.ts';
import { CorruptValueError } from '../store/corrupt.ts';

/**
 * A key's Stored JSON as read from Redis ('' = absent), validated like a peer's state: Redis is reachable past the
 * layer, so data that does not parse is reported for its key (CorruptValueError) instead of failing further on.
 */
export function decodeStored(json: string, key: string): Stored | undefined {
  if (json === '') return undefined;
  try {
    return parseStored(JSON.parse(json), `key ${JSON.stringify(key)}`);
  } catch (e) {
    throw new CorruptValueError(key, (e as Error).message);
  }
}
