import { deadline } from '../../harness/core/deadline.ts';
import type { Client, Completion } from '../../harness/core/client.ts';
import type { Op } from '../../harness/core/op.ts';
import { transportFailure } from './errors.ts';
import { applyMicroOps, parseMicroOps, txnKeys, type Snapshot } from './etcd-txn.ts';

type Endpoints = Readonly<Record<string, { host: string; port: number }>>;

/**
 * A register and transaction client over etcd's v3 JSON gateway (the grpc-gateway every etcd member serves on its
 * client URL): `read`, `write`, `cas`, and `txn` of Elle micro-ops (etcd-txn.ts).
 *
 * Error table:
 * - read, and a txn's snapshot read: any failure is `fail`. A range has no effect, so an unknown outcome is as good
 *   as none. A txn whose guarded commit finds a key changed is retried from a new snapshot, up to 5 times, then `fail`.
 * - write/cas/txn commit: gRPC codes that etcd raises before proposing to raft (bad argument, too many requests, auth, compaction)
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
      return `the etcd client has no operation "${op.f}" (it supports read, write, cas, txn)`;
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
    const done = (c: Completion): Completion => ({ ...c, node: region });
    const req = op.f === 'txn' ? undefined : request(op, this.options);
    if (typeof req === 'string') return { type: 'fail', value: null, error: req };
    const bound = deadline(signal, this.opTimeoutMs);
    try {
      if (req === undefined) return done(await this.txn(ep, op, bound.signal));
      const res = await post(ep, req.path, req.body, bound.signal);
      // A failed read changed nothing, whatever the reason.
      if (!res.ok) return done(op.f === 'read' ? definite(res.failed) : res.failed);
      return done(req.result(res.body));
    } finally {
      bound.release();
    }
  }

  /** See etcd-txn.ts: a snapshot read, the micro-ops against it, then a commit guarded by every key's mod_revision. */
  private async txn(ep: { host: string; port: number }, op: Op, signal: AbortSignal): Promise<Completion> {
    const ops = parseMicroOps(op.value);
    if (typeof ops === 'string') return { type: 'fail', value: null, error: ops };
    const keys = txnKeys(ops);
    const serializable = this.options.serializableReads === true;
    for (let attempt = 1; ; attempt++) {
      const read = await post(ep, '/v3/kv/txn', { success: keys.map((k) => ({ requestRange: { key: b64(k), serializable } })) }, signal);
      if (!read.ok) return definite(read.failed);
      const t = read.body as TxnResponse;
      const snapshot = new Map<string, Snapshot>(keys.map((k, i) => {
        const kv = t.responses?.[i]?.response_range?.kvs?.[0];
        return [k, kv ? { value: decodeValue(kv.value), modRevision: kv.mod_revision ?? '0' } : { value: null, modRevision: '0' }];
      }));
      const applied = applyMicroOps(ops, snapshot);
      if (typeof applied === 'string') return { type: 'fail', value: null, error: applied };
      const version = { version: revisionToken(t.header?.revision ?? 0) };
      if (applied.writes.size === 0) return { type: 'ok', value: applied.done, meta: version };
      const commit = await post(ep, '/v3/kv/txn', {
        // An absent key compares as mod_revision 0, so a key created meanwhile also fails the guard.
        compare: keys.map((k) => ({ key: b64(k), target: 'MOD', result: 'EQUAL', mod_revision: snapshot.get(k)!.modRevision })),
        success: [...applied.writes].map(([k, v]) => ({ requestPut: { key: b64(k), value: b64(JSON.stringify(v)) } })),
      }, signal);
      // The micro-ops as invoked stay the value of an unknown outcome: Elle reads a maybe-committed append from them.
      if (!commit.ok) return { ...commit.failed, value: op.value };
      const c = commit.body as TxnResponse;
      if (c.succeeded === true) return { type: 'ok', value: applied.done, meta: { version: revisionToken(c.header?.revision ?? 0) } };
      if (attempt >= MAX_TXN_ATTEMPTS) {
        return { type: 'fail', value: op.value, error: `conflict: a key changed between read and commit in each of ${attempt} attempts` };
      }
    }
  }

  async close(): Promise<void> {}
}

/** Attempts of an optimistic transaction whose keys keep changing under it; a conflict applies nothing, so retrying is safe. */
const MAX_TXN_ATTEMPTS = 5;

type Posted = { ok: true; body: Record<string, unknown> } | { ok: false; failed: Completion };

/** One gateway request; a failure is classified by whether etcd could have acted on it. */
async function post(ep: { host: string; port: number }, path: string, body: unknown, signal: AbortSignal): Promise<Posted> {
  let status: number;
  let parsed: Record<string, unknown>;
  try {
    const res = await fetch(`http://${ep.host}:${ep.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    status = res.status;
    const text = await res.text();
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch (e) {
    return { ok: false, failed: transportFailure(e) };
  }
  if (status === 200) return { ok: true, body: parsed };
  const code = typeof parsed.code === 'number' ? parsed.code : undefined;
  const error = `${status} code ${code ?? '?'}: ${String(parsed.error ?? parsed.message ?? '')}`;
  return { ok: false, failed: { type: code !== undefined && DEFINITE_GRPC_CODES.has(code) ? 'fail' : 'info', value: null, error } };
}

/** A failure of a request that can change nothing (a read) is a definite fail, whatever its cause. */
const definite = (c: Completion): Completion => (c.type === 'info' ? { ...c, type: 'fail' } : c);

/** The factory the runner calls: one endpoint per region (the region's client proxy), and the per-operation timeout. */
export const etcdClient = (endpoints: Endpoints, opTimeoutMs: number, options: EtcdClientOptions = {}): Client =>
  new EtcdClient(endpoints, opTimeoutMs, options);
