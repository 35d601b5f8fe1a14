import { tooLarge, badRequest } from './errors.ts';

export const MAX_KEY_BYTES = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
/** Public bodies carry one value plus a little envelope; txn bodies carry several. */
export const MAX_PUBLIC_BODY = 1024 * 1024;
/** Replication batches carry many whole key states; the shipper cuts batches at 8 MiB (one larger entry goes alone). */
export const MAX_REPLICATION_BODY = 16 * 1024 * 1024;
/** A Paxos message carries one key and one encoded register. */
export const MAX_PAXOS_BODY = 1024 * 1024;
/** Arrays/objects nested in a public body (so a value may nest one level less). */
export const MAX_PUBLIC_DEPTH = 64;
/** A replication batch wraps values in a few levels of envelope (batch, entry, item, stored state, CRDT state). */
export const MAX_INTERNAL_DEPTH = 128;

/** Requests in progress per route class before new ones are refused with 503 `overloaded` (http/in-flight.ts). */
export const IN_FLIGHT_LIMITS = {
  public: 256,
  replicate: 8,
  paxos: 256,
  digest: 4,
  admin: 8,
  ops: 32,
} as const;
export type RouteClass = keyof typeof IN_FLIGHT_LIMITS;

export function routeClass(path: string): RouteClass {
  if (path === '/internal/replicate') return 'replicate';
  if (path.startsWith('/internal/')) return 'paxos';
  if (path === '/digest') return 'digest';
  if (path.startsWith('/admin/')) return 'admin';
  if (path === '/health' || path === '/metrics') return 'ops';
  return 'public';
}

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
