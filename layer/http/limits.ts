import { tooLarge, badRequest } from './errors.ts';

export const MAX_KEY_BYTES = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
/** Public bodies carry one value plus a little envelope; txn bodies carry several. */
export const MAX_PUBLIC_BODY = 1024 * 1024;
/** Replication batches carry many whole key states. */
export const MAX_INTERNAL_BODY = 64 * 1024 * 1024;

export function checkKey(key: string): void {
  if (key.length === 0) throw badRequest('key must not be empty');
  const n = Buffer.byteLength(key, 'utf8');
  if (n > MAX_KEY_BYTES) throw tooLarge(`key is ${n} bytes; the limit is ${MAX_KEY_BYTES}`);
}

export function checkValue(value: unknown, field = 'value'): void {
  if (value === undefined) throw badRequest(`field "${field}" is required`);
  const n = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (n > MAX_VALUE_BYTES) throw tooLarge(`field "${field}" is ${n} bytes of JSON; the limit is ${MAX_VALUE_BYTES}`);
}
