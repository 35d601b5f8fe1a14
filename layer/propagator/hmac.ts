import { createHmac, randomBytes, timingSafeEqual, type Hmac } from 'node:crypto';

/**
 * Peer-to-peer request authentication, in two MACs so a receiver can refuse a forged request before it reads a byte
 * of its body:
 * - `X-Rift-Auth: <timestamp ms>.<nonce>.<mac>` covers method, request target, timestamp, nonce, body length and a
 *   context string (for a forwarded client request: from → to region and the client's session token). It is checked
 *   on the headers alone; a timestamp outside the window or a nonce already seen is refused, so a captured request
 *   cannot be replayed, and binding the destination region means it cannot be sent to another region either.
 * - `X-Rift-Signature: <mac>` covers the header MAC and then the body, checked while the body streams in.
 */
export const AUTH_HEADER = 'x-rift-auth';
export const SIGNATURE_HEADER = 'x-rift-signature';
/** How far a request's timestamp may be from the receiver's clock (and how long its nonce is remembered). */
export const REPLAY_WINDOW_MS = 30_000;

export interface RequestParts {
  method: string;
  /** Path and query exactly as sent on the request line. */
  target: string;
  bodyLength: number;
  /** What else the request means, e.g. `forward us-east>eu-west` plus the session; '' for /internal/*. */
  context: string;
}

function headerMac(secret: string, p: RequestParts, timestamp: number, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`rift-auth\n${p.method} ${p.target}\n${timestamp}\n${nonce}\n${p.bodyLength}\n${p.context}`)
    .digest('hex');
}

function bodyMac(secret: string, auth: string): Hmac {
  return createHmac('sha256', secret).update(`rift-body\n${auth}\n`);
}

/** The two headers that authenticate one request; a fresh nonce every call, so every resend is a new request. */
export function signRequest(secret: string, p: RequestParts, body: Buffer | string, now = Date.now()): Record<string, string> {
  const nonce = randomBytes(12).toString('hex');
  const mac = headerMac(secret, p, now, nonce);
  return { [AUTH_HEADER]: `${now}.${nonce}.${mac}`, [SIGNATURE_HEADER]: bodyMac(secret, mac).update(body).digest('hex') };
}

const AUTH_FORMAT = /^(\d{1,16})\.([0-9a-f]{24})\.([0-9a-f]{64})$/;
const HEX64 = /^[0-9a-f]{64}$/;

export type HeaderCheck = { ok: true; body: BodyCheck } | { ok: false; reason: string };

/** Verifies a body against the signature as it streams in: `update` each chunk, then `matches`. */
export class BodyCheck {
  constructor(
    private readonly mac: Hmac,
    private readonly signature: string | undefined,
  ) {}

  update(chunk: Buffer): void {
    this.mac.update(chunk);
  }

  matches(): boolean {
    if (typeof this.signature !== 'string' || !HEX64.test(this.signature)) return false;
    return timingSafeEqual(this.mac.digest(), Buffer.from(this.signature, 'hex'));
  }
}

/** One per node: checks request headers and remembers the nonces it has accepted for the replay window. */
export class RequestVerifier {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly secret: string,
    private readonly windowMs = REPLAY_WINDOW_MS,
  ) {}

  checkHeaders(p: RequestParts, auth: string | undefined, signature: string | undefined, now = Date.now()): HeaderCheck {
    const m = typeof auth === 'string' ? AUTH_FORMAT.exec(auth) : null;
    if (!m) return { ok: false, reason: 'missing or malformed X-Rift-Auth' };
    const timestamp = Number(m[1]);
    if (Math.abs(now - timestamp) > this.windowMs) return { ok: false, reason: `timestamp ${timestamp} is more than ${this.windowMs} ms from now` };
    const expected = Buffer.from(headerMac(this.secret, p, timestamp, m[2]), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(m[3], 'hex'))) return { ok: false, reason: 'X-Rift-Auth does not match this request' };
    this.sweep(now);
    if (this.seen.has(m[2])) return { ok: false, reason: 'replayed request (nonce already used)' };
    // Remembered until its timestamp leaves the window, after which the timestamp check alone refuses it.
    this.seen.set(m[2], timestamp + this.windowMs);
    return { ok: true, body: new BodyCheck(bodyMac(this.secret, m[3]), signature) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 1_000) return;
    this.lastSweep = now;
    for (const [nonce, until] of this.seen) if (until < now) this.seen.delete(nonce);
  }
}
