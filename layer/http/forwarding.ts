/**
 * Forwarding between regions: a node sends a critical operation or a transaction to its home region with
 * `X-Rift-Forwarded: <from region>`, and the home runs it locally instead of forwarding it again. That header is
 * believed only on a request signed by a peer (propagator/hmac.ts) whose signature binds it to this source and
 * destination region and to the client's session token; on any other request it is ignored.
 */
export const FORWARDED_HEADER = 'x-rift-forwarded';
export const SESSION_HEADER = 'x-rift-session';

export function forwardContext(from: string, to: string, session: string | undefined): string {
  return `forward ${from}>${to}\nsession ${session ?? ''}`;
}
