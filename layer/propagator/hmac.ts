import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signs method, path and body together, so a captured signature cannot be replayed against another endpoint. */
export function sign(secret: string, method: string, path: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${method} ${path}\n`).update(body).digest('hex');
}

export function verify(secret: string, method: string, path: string, body: Buffer, signature: string | undefined): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(sign(secret, method, path, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

export const SIGNATURE_HEADER = 'x-rift-signature';
