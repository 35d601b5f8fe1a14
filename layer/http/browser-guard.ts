import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.ts';

/**
 * Refuses requests a web page made on a visitor's browser: the layer is an API for programs, and a page on another
 * site must not be able to drive a layer on localhost. A browser names the page's origin in `Origin` (on
 * cross-origin and on non-GET requests) and, in current browsers, the relation in `Sec-Fetch-Site`; programs send
 * neither. Origins listed in `allowed` (config `allowedOrigins`) are let through.
 */
export function refuseBrowserRequests(req: IncomingMessage, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.includes(origin)) {
    throw new HttpError(403, 'cross-origin', `requests from origin ${JSON.stringify(origin)} are refused (not in allowedOrigins)`);
  }
  const site = req.headers['sec-fetch-site'];
  if ((site === 'cross-site' || site === 'same-site') && origin === undefined) {
    throw new HttpError(403, 'cross-origin', `browser requests from another site (Sec-Fetch-Site: ${site}) are refused`);
  }
}

/** A body must be declared JSON: a page can send text/plain or form bodies cross-origin without a CORS preflight. */
export function requireJsonContentType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported-media-type', `request bodies must be sent as Content-Type: application/json (got ${JSON.stringify(req.headers['content-type'] ?? null)})`);
  }
}
