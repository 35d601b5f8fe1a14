import { badRequest } from '../http/errors.ts';
import { isRegionName } from '../clock/region.ts';

/**
 * A session token is the vector of log sequences (per origin region) the client has observed: its own writes
 * and everything visible in the states it read. A region may serve the session only once it has applied at
 * least that much from every origin, which gives read-your-writes and monotonic reads in any region.
 */
export type SessionVector = Record<string, number>;

export function encodeSession(v: SessionVector): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

export function decodeSession(token: string | undefined): SessionVector {
  if (token === undefined || token === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('header X-Rift-Session is not a session token issued by this layer');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('header X-Rift-Session is malformed');
  const out: SessionVector = {};
  for (const [r, s] of Object.entries(v)) {
    if (!isRegionName(r) || !Number.isSafeInteger(s) || (s as number) < 0) throw badRequest('header X-Rift-Session is malformed');
    out[r] = s as number;
  }
  return out;
}

export function mergeSession(a: SessionVector, b: SessionVector): SessionVector {
  const out: SessionVector = { ...a };
  for (const [r, s] of Object.entries(b)) out[r] = Math.max(out[r] ?? 0, s);
  return out;
}

/** True when `have` covers every component of `need`. */
export function covers(have: SessionVector, need: SessionVector): boolean {
  return Object.entries(need).every(([r, s]) => (have[r] ?? 0) >= s);
}
