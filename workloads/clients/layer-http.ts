import { Agent, request } from 'node:http';
import type { Client, Completion } from '../../harness/core/client.ts';
import type { Op } from '../../harness/core/op.ts';
import { transportFailure } from './errors.ts';

type Endpoints = Readonly<Record<string, { host: string; port: number }>>;

/** Status codes after which the layer promises the operation did not happen (layer/API.md). */
const DEFINITE_REFUSALS = new Set([400, 404, 409, 413, 422, 503]);

interface Route { method: 'GET' | 'PUT' | 'POST'; path: string; body?: unknown; value(res: Record<string, unknown>): unknown }

function route(op: Op): Route {
  const key = op.key === undefined ? undefined : encodeURIComponent(op.key);
  const v = op.value;
  switch (op.f) {
    case 'read':
      return { method: 'GET', path: `/v1/kv/${key}`, value: (r) => r.value ?? null };
    case 'write':
      return { method: 'PUT', path: `/v1/kv/${key}`, body: { value: v }, value: () => v };
    case 'cas': {
      const [expected, value] = v as [unknown, unknown];
      return { method: 'POST', path: `/v1/kv/${key}/cas`, body: { expected, value }, value: (r) => r.ok === true };
    }
    case 'incr':
      return { method: 'POST', path: `/v1/kv/${key}/incr`, body: { delta: v }, value: () => v };
    case 'add':
    case 'remove':
      return { method: 'POST', path: `/v1/kv/${key}/${op.f}`, body: { element: v }, value: () => v };
    case 'txn':
      return { method: 'POST', path: '/v1/txn', body: { ops: v }, value: (r) => r.ops };
    case 'digest':
      return { method: 'GET', path: '/digest', value: (r) => ({ digest: r.digest, applied: r.applied }) };
    default:
      throw new Error(`the layer client has no operation "${op.f}"`);
  }
}

/**
 * One request over a kept-alive connection (node:http: fetch cost the harness several times the CPU per operation).
 * An abort rejects with the signal's reason, as fetch does, so a timeout is told apart from a transport error.
 */
function exchange(agent: Agent, ep: { host: string; port: number }, r: Route, session: string | undefined, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) headers['x-rift-session'] = session;
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => reject(signal.aborted ? signal.reason : e);
    const req = request({ host: ep.host, port: ep.port, path: r.path, method: r.method, headers, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new Error('the connection closed before the whole response arrived'));
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}

/**
 * Talks to layer nodes over HTTP through the client proxies. One instance per process: it carries the
 * process's session token, so session guarantees are the layer's to keep even when the process roams.
 * Every process shares one pool of kept-alive connections per client proxy.
 */
export class LayerHttpClient implements Client {
  private session: string | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly region?: string,
    private readonly agent = new Agent({ keepAlive: true }),
  ) {}

  async open(region: string): Promise<Client> {
    if (!this.endpoints[region]) throw new Error(`no endpoint for region ${region}`);
    return new LayerHttpClient(this.endpoints, region, this.agent);
  }

  async invoke(op: Op, signal: AbortSignal): Promise<Completion> {
    const region = op.region ?? this.region;
    const ep = region === undefined ? undefined : this.endpoints[region];
    if (!ep) return { type: 'fail', value: null, error: `no endpoint for region ${region}` };
    const r = route(op);
    let res: { status: number; text: string };
    let body: Record<string, unknown>;
    try {
      res = await exchange(this.agent, ep, r, this.session, signal);
      body = res.text === '' ? {} : (JSON.parse(res.text) as Record<string, unknown>);
    } catch (e) {
      return transportFailure(e);
    }
    if (res.status !== 200) {
      const error = `${res.status} ${String(body.error ?? '')}: ${String(body.message ?? '')}`.trim();
      return { type: DEFINITE_REFUSALS.has(res.status) ? 'fail' : 'info', value: null, error };
    }
    if (typeof body.session === 'string') this.session = body.session;
    const meta: Record<string, unknown> = {};
    for (const k of ['version', 'vclock', 'dot', 'orset', 'siblings', 'conflict'] as const) if (body[k] !== undefined) meta[k] = body[k];
    return { type: 'ok', value: r.value(body), ...(Object.keys(meta).length ? { meta } : {}), node: region };
  }

  async close(): Promise<void> {}
}

export const layerClient = (endpoints: Endpoints): Client => new LayerHttpClient(endpoints);
