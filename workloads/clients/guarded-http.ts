import { Agent, request } from 'node:http';

/** A request whose body never left the client: the server cannot have acted on it. */
export class BodyNotSent extends Error {
  constructor(readonly reason: string) {
    super(`request body not sent: ${reason}`);
  }
}

export interface GuardedResponse {
  status: number;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * One HTTP request, over kept-alive connections (node:http: fetch cost the harness several times the CPU per
 * operation), whose body is held back until the server answers `100 Continue`. Between a client and a region
 * stands a proxy that accepts every connection, so a dead or cut-off node shows only as a connection closed after the
 * request went out: ambiguous for a plain request, but with the body held back, a close before `100 Continue` proves
 * the node never got what it would act on (BodyNotSent), and the operation can be recorded as not having happened.
 */
export function guardedRequest(
  target: { host: string; port: number },
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
): Promise<GuardedResponse> {
  return new Promise((resolve, reject) => {
    let bodySent = body === undefined;
    const fail = (e: Error) => reject(bodySent ? e : new BodyNotSent(signal.aborted ? 'timed out waiting for 100 Continue' : e.message));
    const req = request(
      {
        host: target.host, port: target.port, method, path, agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)), expect: '100-continue' },
      },
      (res) => {
        // A final answer before 100 Continue (a refusal on the headers alone) means the body was never needed.
        bodySent = true;
        const chunks: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (c: string) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: chunks.join('') }));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('the connection closed before the whole response arrived'));
        });
      },
    );
    req.on('continue', () => {
      bodySent = true;
      req.end(body);
    });
    req.on('error', fail);
    const abort = () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    req.on('close', () => signal.removeEventListener('abort', abort));
    if (body === undefined) req.end();
  });
}
