import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LayerNode } from './node.ts';
import { HttpError, badRequest } from './http/errors.ts';
import { parseJsonObject, readBody, readSignedBody, requireField, requireNumber } from './http/body.ts';
import {
  checkKey, checkValue, IN_FLIGHT_LIMITS, MAX_INTERNAL_DEPTH, MAX_PAXOS_BODY, MAX_PUBLIC_BODY, MAX_PUBLIC_DEPTH,
  MAX_REPLICATION_BODY, routeClass, type RouteClass,
} from './http/limits.ts';
import { checkJsonDepth } from './http/json-depth.ts';
import { parseTarget, type Target } from './http/target.ts';
import { InFlightLimits } from './http/in-flight.ts';
import { refuseBrowserRequests, requireJsonContentType } from './http/browser-guard.ts';
import { FORWARDED_HEADER, forwardContext, SESSION_HEADER } from './http/forwarding.ts';
import { tierOf } from './router/key-class.ts';
import { AUTH_HEADER, RequestVerifier, SIGNATURE_HEADER } from './propagator/hmac.ts';
import { claimedRange, parseBatch } from './propagator/batch.ts';
import { decodeBatchBody } from './propagator/batch-body.ts';
import { readSnapshotPage } from './propagator/snapshot.ts';
import { peerRequest, NotSentError } from './propagator/peer-client.ts';
import { computeDigest } from './ops/digest.ts';
import { CorruptValueError, isWrongTypeError, namingCorruptKeys } from './store/corrupt.ts';
import { parseTxn, runTxn } from './txn/txn.ts';
import { kvWriteOp } from './http/kv-op.ts';
import { FailpointError, MessageDropped, parseFailpointSpec } from './failpoints/registry.ts';

const ADMIN_HEADER = 'x-rift-admin';

type Reply = { status: number; body: unknown; text?: string };
const ok = (body: unknown): Reply => ({ status: 200, body });

/** What every request handler shares: the node, the peer-request verifier (replay window) and the refusal counter. */
interface Ctx {
  node: LayerNode;
  verifier: RequestVerifier;
  refused: (reason: string) => void;
}

/** A request as admitted: its JSON body (if any) and whether a peer forwarded it (authenticated). */
interface Admitted {
  body: Record<string, unknown>;
  forwardedFrom: string | null;
}

/**
 * The node's HTTP surface (layer/API.md). Every failure becomes `{error, message}`; nothing a client sends can crash it.
 * Cheap checks come before any work: browser origin, route concurrency, Content-Type, peer signatures on headers,
 * then a size-capped body.
 */
export function createLayerServer(node: LayerNode): Server {
  const refusedTotal = node.metrics.counter('rift_http_refused_total', 'Requests refused before any work, by reason');
  const ctx: Ctx = { node, verifier: new RequestVerifier(node.config.secret), refused: (reason) => refusedTotal({ reason }) };
  const limits = new InFlightLimits<RouteClass>(IN_FLIGHT_LIMITS, () => ctx.refused('overloaded'));
  const server = createServer((req, res) => {
    let release = () => {};
    // Aborted when the client goes away before the answer: a critical operation still queued then never starts.
    // Made on first use (only critical operations ask), since most requests never need one.
    let left = false;
    let goneCtl: AbortController | null = null;
    const gone = () => {
      goneCtl ??= new AbortController();
      if (left) goneCtl.abort();
      return goneCtl.signal;
    };
    res.once('close', () => {
      release();
      if (res.writableFinished) return;
      left = true;
      goneCtl?.abort();
    });
    const fail = (e: unknown) => {
      // A failpoint dropped this message: the peer gets no answer at all, as if the network had lost it.
      if (e instanceof MessageDropped) return void res.destroy();
      if (e instanceof CorruptValueError) node.reportCorrupt('request', e.key, e.message);
      if (e instanceof HttpError) {
        if (e.status === 401 || e.status === 403 || e.status === 415) ctx.refused(e.code);
        return send(req, res, { status: e.status, body: { error: e.code, message: e.message } }, e.headers);
      }
      node.log.error('request failed', { method: req.method, url: req.url, error: (e as Error)?.message });
      send(req, res, { status: 500, body: { error: 'internal', message: (e as Error)?.message ?? String(e) } });
    };
    let url: Target;
    try {
      refuseBrowserRequests(req, node.config.allowedOrigins);
      url = requestUrl(req);
      release = limits.enter(routeClass(url.pathname));
    } catch (e) {
      fail(e);
      return;
    }
    handle(ctx, req, url, gone)
      .then((r) => send(req, res, r))
      .catch(fail)
      .finally(() => release());
  });
  // A client that trickles headers or a body cannot hold a connection (and a concurrency slot) for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  return server;
}

function requestUrl(req: IncomingMessage): Target {
  try {
    return parseTarget(req.url ?? '/');
  } catch {
    throw badRequest(`malformed request target ${JSON.stringify(req.url)}`);
  }
}

function send(req: IncomingMessage, res: ServerResponse, r: Reply, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const payload = r.text ?? JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': r.text !== undefined ? 'text/plain; version=0.0.4' : 'application/json',
    'content-length': Buffer.byteLength(payload),
    // A request refused before its body was read: close the connection instead of reading the rest of it.
    ...(req.complete ? {} : { connection: 'close' }),
    ...extra,
  });
  res.end(payload);
}

async function handle(ctx: Ctx, req: IncomingMessage, url: Target, gone: () => AbortSignal): Promise<Reply> {
  const { node } = ctx;
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'PUT' || method === 'POST') requireJsonContentType(req);

  if (path.startsWith('/v1/kv/')) return kv(ctx, req, method, path.slice('/v1/kv/'.length), gone);
  switch (`${method} ${path}`) {
    case 'POST /v1/txn': {
      const { body, forwardedFrom } = await admit(ctx, req, method);
      const ops = parseTxn(body);
      // Transactions run in one home region (see HomeRouter.txnHome): they are then serialized by that region's
      // optimistic commits instead of racing LWW merges across regions.
      const home = node.router.txnHome(ops[0][1]);
      // Calibration bug: "a read-only transaction changes nothing, so any region may serve it" (it reads a replica
      // that may not have the transactions home already committed).
      const readHere = node.config.bugs.includes('txn-read-local') && ops.every((o) => o[0] === 'r');
      if (home !== node.config.region && forwardedFrom === null && !readHere) {
        const homeOnly = node.config.txnMode === 'home';
        const unreachable = () =>
          new HttpError(503, 'txn-home-unreachable', `transaction home ${home} is unreachable from ${node.config.region}; nothing was run (txnMode "home")`);
        // In "home" mode forwarding is skipped only when home is known to be down, so a node that has just started
        // (and not yet heard from home) still forwards rather than refusing.
        if (homeOnly ? !node.health.knownDown(home) : node.health.goodRoute(home, node.config.peerTimeoutMs)) {
          const forwarded = await forward(node, req, home, method, body);
          if (forwarded) return forwarded;
        }
        // Running here would let two regions commit transactions on the same keys concurrently; in "home" mode
        // that is refused, in "local-fallback" mode it is the price of staying available.
        if (homeOnly) throw unreachable();
      }
      const r = await runTxn(node.coordinator, ops, (k) => node.eventual.strategyOf(k)).catch(async (e: unknown) => {
        throw await namingCorruptKeys(node.redis, e, [...new Set(ops.map((o) => o[1]))]);
      });
      return ok({ ops: r.ops, version: r.version });
    }
    case 'GET /health': {
      const view = node.health.view();
      const redisUp = node.redis.status === 'ready';
      // A stalled peer needs an operator (re-seed), not a reroute, so it is reported here without touching `ok`.
      const stalled = Object.fromEntries(node.shippers.map((s) => s.status()).filter((s) => s.stalled !== null).map((s) => [s.peer, s.stalled]));
      return { status: redisUp ? 200 : 503, body: { region: node.config.region, ok: redisUp && !view.degraded, redis: redisUp, ...view, stalled } };
    }
    case 'GET /metrics':
      return { status: 200, body: null, text: node.metrics.render() };
    case 'GET /digest': {
      const d = await computeDigest(node.redis, node.digestMemo);
      node.corruptKeys = d.corrupt.count;
      return ok({ region: node.config.region, ...d, applied: node.progress() });
    }
    case 'GET /admin/clock':
      admin(node, req);
      return ok({ ok: true, offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
    case 'POST /admin/clock': {
      admin(node, req);
      const body = parseJsonObject(await readBody(req, MAX_PUBLIC_BODY), MAX_PUBLIC_DEPTH);
      if (!('tickMs' in body) || 'offsetMs' in body) node.clock.setOffset(requireNumber(body, 'offsetMs'));
      if ('tickMs' in body) {
        const tick = body.tickMs;
        if (tick !== null && !(Number.isSafeInteger(tick) && (tick as number) > 0 && (tick as number) <= 60_000)) throw badRequest('field "tickMs" must be null or an integer 1..60000');
        node.clock.setTick(tick as number | null);
      }
      node.log.info('clock set', { offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
      return ok({ ok: true, offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
    }
    case 'GET /admin/failpoints':
      admin(node, req);
      return ok(node.failpoints.list());
    case 'POST /admin/failpoints': {
      admin(node, req);
      const body = parseJsonObject(await readBody(req, MAX_PUBLIC_BODY), MAX_PUBLIC_DEPTH);
      let spec;
      try {
        spec = parseFailpointSpec(body);
      } catch (e) {
        if (e instanceof FailpointError) throw badRequest(e.message);
        throw e;
      }
      node.failpoints.arm(spec);
      node.log.warn('failpoint armed', { ...spec });
      return ok({ ok: true, armed: spec });
    }
    case 'DELETE /admin/failpoints': {
      admin(node, req);
      const fired = node.failpoints.disarmAll();
      node.log.info('failpoints disarmed', { fired });
      return ok({ ok: true, fired });
    }
    case 'GET /admin/conflicts':
      admin(node, req);
      return ok({ degraded: node.health.degraded, markers: node.markers.list(), reconciled: node.markers.reconciled });
    case 'POST /internal/replicate':
      return replicate(node, req, url.searchParams, await signedBody(ctx, req, MAX_REPLICATION_BODY, ''));
    case 'POST /internal/snapshot': {
      const body = parseJsonObject(await signedBody(ctx, req, MAX_PAXOS_BODY, ''), MAX_INTERNAL_DEPTH);
      const { cursor, count } = body;
      if (typeof cursor !== 'string' || !/^\d+$/.test(cursor)) throw badRequest('field "cursor" must be a SCAN cursor (digits)');
      if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 1000) throw badRequest('field "count" must be an integer 1..1000');
      // Taken before the scan starts, so every state the scan returns covers it (see propagator/snapshot.ts).
      const marks = cursor === '0' ? node.progress() : undefined;
      const page = await readSnapshotPage(node.redis, cursor, count as number);
      return ok({ cursor: page.cursor, ...(marks ? { marks } : {}), states: page.states, unreadable: page.unreadable });
    }
    case 'POST /internal/reseed': {
      const body = parseJsonObject(await signedBody(ctx, req, MAX_PAXOS_BODY, ''), MAX_INTERNAL_DEPTH);
      if (typeof body.from !== 'string' || !(body.from in node.config.peers)) throw badRequest(`field "from" must name a peer region, got ${JSON.stringify(body.from)}`);
      node.reseedFrom(body.from);
      return ok({ started: true });
    }
    case 'POST /internal/paxos/prepare':
    case 'POST /internal/paxos/accept': {
      const body = parseJsonObject(await signedBody(ctx, req, MAX_PAXOS_BODY, ''), MAX_INTERNAL_DEPTH);
      const key = requireField(body, 'key');
      const ballot = requireNumber(body, 'ballot');
      if (typeof key !== 'string') throw badRequest('field "key" must be a string');
      checkKey(key);
      if (!Number.isSafeInteger(ballot) || ballot <= 0) throw badRequest('field "ballot" must be a positive integer');
      if (path.endsWith('prepare')) return ok(await node.acceptor.prepare(key, ballot));
      const value = requireField(body, 'value');
      if (typeof value !== 'string') throw badRequest('field "value" must be a string');
      return ok(await node.acceptor.accept(key, ballot, value));
    }
  }
  throw new HttpError(404, 'not-found', `no route for ${method} ${path}`);
}

/**
 * A signed replication batch. One whose target names a range already applied is answered without decoding it; a
 * copy of a batch still being decoded or applied (a peer back from a pause finds every batch its shipper resent
 * meanwhile) first waits for that batch, and is then answered the same way.
 */
async function replicate(node: LayerNode, req: IncomingMessage, query: URLSearchParams, raw: Buffer): Promise<Reply> {
  const knownOrigin = (origin: string) => {
    if (origin === node.config.region || !Object.hasOwn(node.config.peers, origin)) {
      throw badRequest(`replication batch from unknown origin ${JSON.stringify(origin)}`);
    }
  };
  let claimed;
  try {
    claimed = claimedRange(query);
  } catch (e) {
    throw badRequest(`replication batch rejected: ${(e as Error).message}`);
  }
  if (claimed) {
    knownOrigin(claimed.origin);
    const earlier = node.receiver.inProgress(claimed.origin, claimed.last);
    if (earlier) await earlier;
    const applied = node.receiver.applied(claimed.origin);
    if (claimed.last <= applied) return ok({ applied });
  }
  const work = (async () => {
    let batch;
    try {
      const json = decodeBatchBody(raw, header(req, 'content-encoding'));
      checkJsonDepth(json, MAX_INTERNAL_DEPTH, 'replication batch');
      batch = parseBatch(JSON.parse(json.toString('utf8')), (o) => node.receiver.applied(o), claimed);
    } catch (e) {
      throw badRequest(`replication batch rejected: ${(e as Error).message}`);
    }
    knownOrigin(batch.origin);
    return node.receiver.apply(batch.origin, batch.entries, batch.after);
  });
  return ok(await (claimed ? node.receiver.track(claimed.origin, claimed.last, work) : work()));
}

const KV_OPS = new Set(['cas', 'incr', 'add', 'remove', 'update']);

async function kv(ctx: Ctx, req: IncomingMessage, method: string, rest: string, gone: () => AbortSignal): Promise<Reply> {
  const { node } = ctx;
  let op: string | null = null;
  let encodedKey = rest;
  if (method === 'POST') {
    const slash = rest.lastIndexOf('/');
    op = slash >= 0 ? rest.slice(slash + 1) : '';
    encodedKey = slash >= 0 ? rest.slice(0, slash) : rest;
    if (!KV_OPS.has(op)) throw new HttpError(404, 'not-found', `unknown key operation ${JSON.stringify(op)}; expected one of ${[...KV_OPS].join(', ')}`);
  } else if (method !== 'GET' && method !== 'PUT' && method !== 'DELETE') {
    throw new HttpError(405, 'method-not-allowed', `${method} is not supported on /v1/kv/{key}`);
  }
  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    throw badRequest('key is not valid percent-encoding');
  }
  checkKey(key);
  const session = header(req, SESSION_HEADER);
  const { body, forwardedFrom } = await admit(ctx, req, method);

  if (tierOf(key) === 'critical') {
    const home = node.router.homeOf(key);
    // The stale-critical-reads bug answers reads from this region's own acceptor, so they are not forwarded.
    const staleLocalRead = method === 'GET' && node.config.bugs.includes('stale-critical-reads');
    const forwardToHome = node.config.proposers === 'home' && home !== node.config.region && !staleLocalRead && forwardedFrom === null;
    if (forwardToHome && node.health.goodRoute(home, node.config.peerTimeoutMs)) {
      const forwarded = await forward(node, req, home, method, method === 'GET' || method === 'DELETE' ? undefined : body);
      if (forwarded) return forwarded;
    }
    if (method === 'GET') return ok(await node.critical.get(key, session, gone()));
    if (method === 'PUT') {
      checkValue(requireField(body, 'value'));
      return ok(await node.critical.put(key, body.value, session, gone()));
    }
    if (op === 'cas') {
      checkValue(requireField(body, 'expected'), 'expected');
      checkValue(requireField(body, 'value'));
      return ok(await node.critical.cas(key, body.expected, body.value, session, gone()));
    }
    throw new HttpError(422, 'wrong-type', `critical keys are registers: ${method}${op ? ' ' + op : ''} does not apply to ${JSON.stringify(key)}`);
  }

  try {
    return ok(await eventualKv(node, method, op, key, body, session));
  } catch (e) {
    throw await namingCorruptKeys(node.redis, e, [key]);
  }
}

async function eventualKv(node: LayerNode, method: string, op: string | null, key: string, body: Record<string, unknown>, session: string | undefined): Promise<unknown> {
  if (method === 'GET') {
    try {
      return await node.eventual.get(key, session);
    } catch (e) {
      if (e instanceof HttpError || isWrongTypeError(e)) throw e;
      // A read that failed changed nothing, so say so (503) rather than leave its outcome unknown.
      throw new HttpError(503, 'unavailable', `read failed, nothing changed: ${(e as Error).message}`);
    }
  }
  if (op === 'cas') {
    checkValue(requireField(body, 'expected'), 'expected');
    checkValue(requireField(body, 'value'));
    return node.eventual.cas(key, body.expected, body.value, session);
  }
  return node.eventual.write(key, kvWriteOp(method, op, body), session);
}

/**
 * Reads a public request's body (none for GET and DELETE) and decides whether a peer forwarded it. A forwarding
 * claim counts only when the request is signed for exactly this hop (forwardContext) and fresh; otherwise the
 * header is a client's and is ignored, so the request is routed like any other.
 */
async function admit(ctx: Ctx, req: IncomingMessage, method: string): Promise<Admitted> {
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const parse = (raw: Buffer) => (hasBody ? parseJsonObject(raw, MAX_PUBLIC_DEPTH) : {});
  const from = header(req, FORWARDED_HEADER);
  if (from !== undefined) {
    const me = ctx.node.config.region;
    const declared = Number(req.headers['content-length'] ?? 0);
    const check =
      Object.hasOwn(ctx.node.config.peers, from)
        ? ctx.verifier.checkHeaders(
            { method, target: req.url ?? '', bodyLength: declared, context: forwardContext(from, me, header(req, SESSION_HEADER)) },
            header(req, AUTH_HEADER),
            header(req, SIGNATURE_HEADER),
          )
        : ({ ok: false, reason: `"${from}" is not a peer region` } as const);
    if (check.ok) return { body: parse(await readSignedBody(req, MAX_PUBLIC_BODY, declared, check.body)), forwardedFrom: from };
    ctx.refused('unauthenticated-forward');
    ctx.node.log.warn('ignoring an unauthenticated X-Rift-Forwarded header', { from, url: req.url, reason: check.reason });
  }
  return { body: hasBody ? parse(await readBody(req, MAX_PUBLIC_BODY)) : {}, forwardedFrom: null };
}

/**
 * Sends a critical operation (or a transaction) to the key's home region, whose proposer then serves every request
 * for that key and so avoids duelling ballots. Signed for this hop (http/forwarding.ts), with the client's session.
 * Returns null when the request certainly never reached home (serve it here instead); any other failure leaves
 * the outcome unknown and is reported as such.
 */
async function forward(node: LayerNode, req: IncomingMessage, home: string, method: string, body: unknown): Promise<Reply | null> {
  const session = header(req, SESSION_HEADER);
  try {
    const res = await peerRequest(node.config.peers[home], method, req.url ?? '', body, {
      timeoutMs: node.config.peerTimeoutMs * 4,
      secret: node.config.secret,
      agent: node.peerAgent,
      context: forwardContext(node.config.region, home, session),
      headers: { [FORWARDED_HEADER]: node.config.region, ...(session === undefined ? {} : { [SESSION_HEADER]: session }) },
    });
    return { status: res.status, body: res.body };
  } catch (e) {
    if (e instanceof NotSentError) return null;
    throw new HttpError(504, 'forward-timeout', `forwarding to home region ${home} failed, outcome unknown: ${(e as Error).message}`);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function admin(node: LayerNode, req: IncomingMessage): void {
  if (header(req, ADMIN_HEADER) !== node.config.adminToken) throw new HttpError(401, 'unauthorized', `admin endpoints need header X-Rift-Admin with the admin token`);
}

/** A peer's body, refused (401) on its headers alone unless they carry a fresh signature for this request. */
async function signedBody(ctx: Ctx, req: IncomingMessage, limit: number, context: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(declared) || declared < 0) throw new HttpError(411, 'length-required', `${req.url} needs a Content-Length`);
  const check = ctx.verifier.checkHeaders(
    { method: req.method ?? 'POST', target: req.url ?? '', bodyLength: declared, context },
    header(req, AUTH_HEADER),
    header(req, SIGNATURE_HEADER),
  );
  if (!check.ok) {
    throw new HttpError(401, 'bad-signature', `${requestUrl(req).pathname} needs valid X-Rift-Auth and X-Rift-Signature headers (HMAC with the shared secret): ${check.reason}`);
  }
  return readSignedBody(req, limit, declared, check.body);
}
