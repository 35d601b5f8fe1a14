import { HttpError } from '../http/errors.ts';

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

/** Turns a WRONGTYPE failure of an operation on `keys` into a CorruptValueError naming them; other errors pass. */
export function namingCorruptKeys(e: unknown, keys: readonly string[]): unknown {
  return isWrongTypeError(e) ? new CorruptValueError(keys.join(', '), 'not a hash of the layer') : e;
}
