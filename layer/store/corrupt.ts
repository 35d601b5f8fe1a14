import type { Redis } from 'ioredis';
import { HttpError } from '../http/errors.ts';
import { K } from './redis.ts';

/**
 * A key whose Redis data the layer did not write (someone wrote past the layer, or the data was damaged): it
 * answers 500 `corrupt` naming the key, and only that key; the digest skips and lists it.
 */
export class CorruptValueError extends HttpError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(500, 'corrupt', `key ${JSON.stringify(key)} holds data the layer did not write (${reason}); delete or restore it in Redis`);
    this.name = 'CorruptValueError';
  }
}

/** Redis refused a command because a key holds another data type (e.g. a string where the layer keeps a hash). */
export function isWrongTypeError(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('WRONGTYPE');
}

/**
 * Turns a WRONGTYPE failure of an operation on `keys` into a CorruptValueError naming the keys that do not hold a
 * hash (asked of Redis, since its error names none); other errors pass through.
 */
export async function namingCorruptKeys(redis: Redis, e: unknown, keys: readonly string[]): Promise<unknown> {
  if (!isWrongTypeError(e)) return e;
  const types = await Promise.all(keys.map((k) => redis.type(K.kv(k)).catch(() => 'unknown')));
  const bad = keys.flatMap((k, i) => (types[i] === 'hash' || types[i] === 'none' ? [] : [{ k, type: types[i] }]));
  if (bad.length === 0) return new CorruptValueError(keys.join(', '), 'Redis holds another type where the layer keeps a hash');
  return new CorruptValueError(bad.map((b) => b.k).join(', '), `Redis holds a ${bad.map((b) => b.type).join(', ')} where the layer keeps a hash`);
}
