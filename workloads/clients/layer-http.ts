import type { Client, Completion } from '../../harness/core/client.ts';
import type { Op } from '../../harness/core/op.ts';
import { transportFailure } from './errors.ts';
import { BodyNotSent, guardedRequest } from './guarded-http.ts';

type Endpoints = Readonly<Record<string, { host: string; port: number }>>;

/** Status codes after which the layer promises the operation did not happen (layer/API.md). */
const DEFINITE_REFUSALS = new Set([400, 404, 409, 413, 422, 503]);

interface Route { method: 'GET' | 'PUT' | 'POST' | 'DELETE'; path: string; body?: unknown; value(res: Record<string, unknown>): unknown }

function route(op: Op): Route {
  const key = op.key === undefined ? undefined : encodeURIComponent(op.key);
  const v = op.value;
  switch (op.f) {
    case 'read':
      return { method: 'GET', path: `/v1/kv/${key}`, value: (r) => r.value ?? null };
    case 'write':
      return { method: 'PUT', path: `/v1/kv/${key}`, body: { value: v }, value: () => v };
    case 'delete':
      return { method: 'DELETE', path: `/v1/kv/${key}`, value: () => null };
    case 'cas': {
      const [expected, value] = v as [unknown, unknown];
      return { method: 'POST', path: `/v1/kv/${key}/cas`, body: { expected, value }, value: (r) => r.ok === true };
    }
    case 'incr':
      return { method: 'POST', path: `/v1/kv/${key}/incr`, body: { delta: v }, value: () => v };
    case 'add':
    case 'remove':
      return { method: 'POST', path: `/v1/kv/${key}/${op.f}`, body: { element: v }, value: () => v };
    case 'map-update':
      return { method: 'POST', path: `/v1/kv/${key}/update`, body: v, value: () => v };
    case 'txn':
      return { method: 'POST', path: '/v1/txn', body: { ops: v }, value: (r) => r.ops };
    case 'digest':
      return { method: 'GET', path: '/digest', value: (r) => ({ digest: r.digest, applied: r.applied }) };
    default:
      throw new Error(`the layer client has no operation "${op.f}"`);
  }
}

/**
 * Talks to layer nodes over HTTP through the client proxies. One instance per process: it carries the
 * process's session token, so session guarantees are the layer's to keep even when the process roams.
 */
export class LayerHttpClient implements Client {
  private session: string | undefined;

  constructor(private readonly endpoints: Endpoints, private readonly region?: string) {}

  async open(region: string): Promise<Client> {
    if (!this.endpoints[region]) throw new Error(`no endpoint for region ${region}`);
    return new LayerHttpClient(this.endpoints, region);
  }

  async invoke(op: Op, signal: AbortSignal): Promise<Completion> {
    const region = op.region ?? this.region;
    const ep = region === undefined ? undefined : this.endpoints[region];
    if (!ep) return { type: 'fail', value: null, error: `no endpoint for region ${region}` };
    const r = route(op);
    let res: { status: number; text: string };
    let body: Record<string, unknown>;
    try {
      res = await guardedRequest(
        ep, r.method, r.path,
        { 'content-type': 'application/json', ...(this.session ? { 'x-rift-session': this.session } : {}) },
        r.body === undefined ? undefined : JSON.stringify(r.body),
        signal,
      );
      body = res.text === '' ? {} : (JSON.parse(res.text) as Record<string, unknown>);
    } catch (e) {
      if (e instanceof BodyNotSent) return { type: 'fail', value: null, error: e.message };
      return transportFailure(e);
    }
    if (res.status !== 200) {
      const error = `${res.status} ${String(body.error ?? '')}: ${String(body.message ?? '')}`.trim();
      return { type: DEFINITE_REFUSALS.has(res.status) ? 'fail' : 'info', value: null, error };
    }
    if (typeof body.session === 'string') this.session = body.session;
    const meta: Record<string, unknown> = {};
    for (const k of ['version', 'vclock', 'dot', 'orset', 'siblings', 'conflict', 'conflictMarker'] as const) if (body[k] !== undefined) meta[k] = body[k];
    return { type: 'ok', value: r.value(body), ...(Object.keys(meta).length ? { meta } : {}), node: region };
  }

  async close(): Promise<void> {}
}

export const layerClient = (endpoints: Endpoints): Client => new LayerHttpClient(endpoints);
