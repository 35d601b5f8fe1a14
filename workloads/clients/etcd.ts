import type { Client, Completion } from '../../harness/core/client.ts';
import type { Op } from '../../harness/core/op.ts';
import { transportFailure } from './errors.ts';

type Endpoints = Readonly<Record<string, { host: string; port: number }>>;

/**
 * A register client over etcd's v3 JSON gateway (the grpc-gateway every etcd member serves on its client URL).
 *
 * Error table:
 * - read: any failure is `fail`. A range has no effect, so an unknown outcome is as good as none.
 * - write/cas: gRPC codes that etcd raises before proposing to raft (bad argument, too many requests, auth, compaction)
 *   are `fail`; Unavailable ("request timed out", "leader changed", "no leader"), DeadlineExceeded, Internal and
 *   Unknown may follow a proposal that still commits, so they are `info`, as are timeouts and resets.
 *   A refused connection proves nothing was sent: `fail`.
 *
 * Values are JSON-encoded, so reads give back exactly the JSON the workload wrote. A stored value that is not JSON
 * (someone else's key) is returned as the raw string, which no checker will mistake for a written value.
 */
const DEFINITE_GRPC_CODES = new Set([3, 5, 6, 7, 8, 9, 11, 12, 16]);

/** Revisions are int64; padding to 20 digits makes string order agree with revision order. */
export const revisionToken = (rev: string | number): string => String(rev).padStart(20, '0');

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

function decodeValue(raw: string | undefined): unknown {
  // etcd omits empty fields from JSON, so an empty stored value arrives as no field at all.
  const text = raw === undefined ? '' : unb64(raw);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface KeyValue { key: string; value?: string; mod_revision?: string }
interface RangeResponse { header?: { revision?: string }; kvs?: KeyValue[] }
interface TxnResponse {
  header?: { revision?: string };
  succeeded?: boolean;
  responses?: { response_range?: RangeResponse }[];
}

interface Request { path: string; body: unknown; result(res: Record<string, unknown>): Completion }

export interface EtcdClientOptions {
  /**
   * Serve reads from the member's local state (`serializable: true`) instead of a quorum read. etcd documents such
   * reads as possibly stale, which makes them the known non-linearizable behaviour a checker should find.
   */
  serializableReads?: boolean;
}

function request(op: Op, o: EtcdClientOptions): Request | string {
  if (op.key === undefined || op.key === '') return `etcd ${op.f} needs a key`;
  const key = b64(op.key);
  switch (op.f) {
    case 'read':
      return {
        path: '/v3/kv/range',
        // Not serializable (the default): etcd serves the range through a quorum read (ReadIndex), i.e. linearizably.
        body: { key, serializable: o.serializableReads === true },
        result: (res) => {
          const kv = (res as RangeResponse).kvs?.[0];
          if (!kv) return { type: 'ok', value: null };
          return { type: 'ok', value: decodeValue(kv.value), meta: { version: revisionToken(kv.mod_revision ?? 0) } };
        },
      };
    case 'write':
      return {
        path: '/v3/kv/put',
        body: { key, value: b64(JSON.stringify(op.value)) },
        result: (res) => ({ type: 'ok', value: op.value, meta: { version: revisionToken((res as RangeResponse).header?.revision ?? 0) } }),
      };
    case 'cas': {
      if (!Array.isArray(op.value) || op.value.length !== 2) return `etcd cas needs [expected, new], got ${JSON.stringify(op.value)}`;
      const [expected, next] = op.value as [unknown, unknown];
      return {
        path: '/v3/kv/txn',
        body: {
          compare: [{ key, target: 'VALUE', result: 'EQUAL', value: b64(JSON.stringify(expected)) }],
          success: [{ requestPut: { key, value: b64(JSON.stringify(next)) } }],
          // On a mismatch, say which version was seen: a failed cas is still an observation of the register.
          failure: [{ requestRange: { key } }],
        },
        result: (res) => {
          const t = res as TxnResponse;
          if (t.succeeded === true) return { type: 'ok', value: true, meta: { version: revisionToken(t.header?.revision ?? 0) } };
          const kv = t.responses?.[0]?.response_range?.kvs?.[0];
          return { type: 'ok', value: false, ...(kv ? { meta: { version: revisionToken(kv.mod_revision ?? 0) } } : {}) };
        },
      };
    }
    default:
      return `the etcd client has no operation "${op.f}" (it supports read, write, cas)`;
  }
}

export class EtcdClient implements Client {
  constructor(
    private readonly endpoints: Endpoints,
    private readonly opTimeoutMs: number,
    private readonly options: EtcdClientOptions,
    private readonly region?: string,
  ) {}

  async open(region: string): Promise<Client> {
    if (!this.endpoints[region]) throw new Error(`etcd client: no endpoint for region ${region}`);
    return new EtcdClient(this.endpoints, this.opTimeoutMs, this.options, region);
  }

  async invoke(op: Op, signal: AbortSignal): Promise<Completion> {
    const region = op.region ?? this.region;
    const ep = region === undefined ? undefined : this.endpoints[region];
    if (!ep) return { type: 'fail', value: null, error: `no endpoint for region ${region}` };
    const req = request(op, this.options);
    if (typeof req === 'string') return { type: 'fail', value: null, error: req };
    const done = (c: Completion): Completion => ({ ...c, node: region });
    // A failed read changed nothing, whatever the reason.
    const unknown = (c: Completion): Completion => done(op.f === 'read' && c.type === 'info' ? { ...c, type: 'fail' } : c);
    let status: number;
    let body: Record<string, unknown>;
    try {
      const res = await fetch(`http://${ep.host}:${ep.port}${req.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req.body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opTimeoutMs)]),
      });
      status = res.status;
      const text = await res.text();
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch (e) {
      return unknown(transportFailure(e));
    }
    if (status !== 200) {
      const code = typeof body.code === 'number' ? body.code : undefined;
      const error = `${status} code ${code ?? '?'}: ${String(body.error ?? body.message ?? '')}`;
      return unknown({ type: code !== undefined && DEFINITE_GRPC_CODES.has(code) ? 'fail' : 'info', value: null, error });
    }
    return done(req.result(body));
  }

  async close(): Promise<void> {}
}

/** The factory the runner calls: one endpoint per region (the region's client proxy), and the per-operation timeout. */
export const etcdClient = (endpoints: Endpoints, opTimeoutMs: number, options: EtcdClientOptions = {}): Client =>
  new EtcdClient(endpoints, opTimeoutMs, options);
