import { request, type Agent } from 'node:http';
import { signRequest } from './hmac.ts';

export interface PeerResponse {
  status: number;
  body: unknown;
}

/** Thrown when the request never reached the peer, so it certainly had no effect there. */
export class NotSentError extends Error {}

const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** JSON already encoded (perhaps compressed) into bytes, sent as is with its content-encoding, if any. */
export class EncodedJson {
  constructor(
    readonly bytes: Buffer,
    readonly encoding: string | undefined,
  ) {}
}

/**
 * One JSON request to a peer (through its proxy URL) with a hard timeout; signed (propagator/hmac.ts) when a secret
 * is given, with `context` naming what else the signature vouches for.
 * Without an agent, a fresh connection per request. With a keep-alive agent (the shippers', the node's), the timeout
 * destroys the socket, so a partition cannot leave a pooled socket that hangs the next call.
 */
export function peerRequest(
  baseUrl: string,
  method: string,
  path: string,
  payload: unknown | EncodedJson,
  opts: { timeoutMs: number; secret?: string; headers?: Record<string, string>; context?: string; agent?: Agent },
): Promise<PeerResponse> {
  const body = payload === undefined ? '' : payload instanceof EncodedJson ? payload.bytes : JSON.stringify(payload);
  const url = new URL(path, baseUrl + '/');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.agent ? {} : { connection: 'close' }), ...opts.headers };
  if (payload instanceof EncodedJson && payload.encoding !== undefined) headers['content-encoding'] = payload.encoding;
  headers['content-length'] = String(Buffer.byteLength(body));
  if (opts.secret) {
    const parts = { method, target: url.pathname + url.search, bodyLength: Buffer.byteLength(body), context: opts.context ?? '' };
    Object.assign(headers, signRequest(opts.secret, parts, body));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text.length ? JSON.parse(text) : null;
        } catch {
          // Non-JSON bodies (e.g. metrics) are handed back as text.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms: ${method} ${url.href}`)), opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code && NOT_SENT.has(e.code) ? new NotSentError(`${method} ${url.href}: ${e.code}`) : e);
    });
    req.end(body);
  });
}

