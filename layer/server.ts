import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LayerNode } from './node.ts';
import { HttpError, badRequest } from './http/errors.ts';
import { parseJsonObject, readBody, requireField, requireNumber } from './http/body.ts';
import { checkKey, checkValue, MAX_INTERNAL_BODY, MAX_PUBLIC_BODY } from './http/limits.ts';
import { tierOf } from './router/key-class.ts';
import { verify, SIGNATURE_HEADER } from './propagator/hmac.ts';
import { parseBatch } from './propagator/batch.ts';
import { peerRequest, NotSentError } from './propagator/peer-client.ts';
import { computeDigest } from './ops/digest.ts';
import { parseTxn, runTxn } from './txn/txn.ts';
import type { LocalOp } from './resolver/index.ts';

const SESSION_HEADER = 'x-rift-session';
const ADMIN_HEADER = 'x-rift-admin';
const FORWARDED_HEADER = 'x-rift-forwarded';

type Reply = { status: number; body: unknown; text?: string };
const ok = (body: unknown): Reply => ({ status: 200, body });

/** The node's HTTP surface (layer/API.md). Every failure becomes `{error, message}`; nothing a client sends can crash it. */
export function createLayerServer(node: LayerNode): Server {
  return createServer((req, res) => {
    handle(node, req)
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        if (e instanceof HttpError) return send(res, { status: e.status, body: { error: e.code, message: e.message } });
        node.log.error('request failed', { method: req.method, url: req.url, error: (e as Error)?.message });
        send(res, { status: 500, body: { error: 'internal', message: (e as Error)?.message ?? String(e) } });
      });
  });
}

function send(res: ServerResponse, r: Reply): void {
  if (res.headersSent) return;
  const payload = r.text ?? JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': r.text !== undefined ? 'text/plain; version=0.0.4' : 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function handle(node: LayerNode, req: IncomingMessage): Promise<Reply> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://node');
  } catch {
    throw badRequest(`malformed request target ${JSON.stringify(req.url)}`);
  }
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path.startsWith('/v1/kv/')) return kv(node, req, method, path.slice('/v1/kv/'.length));
  switch (`${method} ${path}`) {
    case 'POST /v1/txn': {
      const body = parseJsonObject(await readBody(req, MAX_PUBLIC_BODY));
      const ops = parseTxn(body);
      // Transactions run in one home region (see HomeRouter.txnHome): they are then serialized by that region's
      // optimistic commits instead of racing LWW merges across regions.
      const home = node.router.txnHome(ops[0][1]);
      if (home !== node.config.region && !header(req, FORWARDED_HEADER)) {
        const homeOnly = node.config.txnMode === 'home';
        const unreachable = () =>
          new HttpError(503, 'txn-home-unreachable', `transaction home ${home} is unreachable from ${node.config.region}; nothing was run (txnMode "home")`);
        // In "home" mode forwarding is skipped only when home is known to be down, so a node that has just started
        // (and not yet heard from home) still forwards rather than refusing.
        if (homeOnly ? !node.health.knownDown(home) : node.health.goodRoute(home, node.config.peerTimeoutMs)) {
          const forwarded = await forward(node, home, method, req.url ?? '', body);
          if (forwarded) return forwarded;
        }
        // Running here would let two regions commit transactions on the same keys concurrently; in "home" mode
        // that is refused, in "local-fallback" mode it is the price of staying available.
        if (homeOnly) throw unreachable();
      }
      const r = await runTxn(node.coordinator, ops, (k) => node.eventual.strategyOf(k));
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
      const d = await computeDigest(node.redis);
      return ok({ region: node.config.region, ...d, applied: node.progress() });
    }
    case 'GET /admin/clock':
      admin(node, req);
      return ok({ ok: true, offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
    case 'POST /admin/clock': {
      admin(node, req);
      const body = parseJsonObject(await readBody(req, MAX_PUBLIC_BODY));
      if (!('tickMs' in body) || 'offsetMs' in body) node.clock.setOffset(requireNumber(body, 'offsetMs'));
      if ('tickMs' in body) {
        const tick = body.tickMs;
        if (tick !== null && !(Number.isSafeInteger(tick) && (tick as number) > 0 && (tick as number) <= 60_000)) throw badRequest('field "tickMs" must be null or an integer 1..60000');
        node.clock.setTick(tick as number | null);
      }
      node.log.info('clock set', { offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
      return ok({ ok: true, offsetMs: node.clock.offsetMs, tickMs: node.clock.tickMs });
    }
    case 'GET /admin/conflicts':
      admin(node, req);
      return ok({ degraded: node.health.degraded, markers: node.markers.list(), reconciled: node.markers.reconciled });
    case 'POST /internal/replicate': {
      const raw = await signed(node, req, path);
      let batch;
      try {
        batch = parseBatch(JSON.parse(raw.toString('utf8')));
      } catch (e) {
        throw badRequest(`replication batch rejected: ${(e as Error).message}`);
      }
      if (batch.origin === node.config.region || !(batch.origin in node.config.peers)) {
        throw badRequest(`replication batch from unknown origin ${JSON.stringify(batch.origin)}`);
      }
      node.health.sawPeer(batch.origin);
      return ok(await node.receiver.apply(batch.origin, batch.entries, batch.after));
    }
    case 'POST /internal/paxos/prepare':
    case 'POST /internal/paxos/accept': {
      const body = parseJsonObject(await signed(node, req, path));
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

const KV_OPS = new Set(['cas', 'incr', 'add', 'remove']);

async function kv(node: LayerNode, req: IncomingMessage, method: string, rest: string): Promise<Reply> {
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
  const body = method === 'GET' || method === 'DELETE' ? {} : parseJsonObject(await readBody(req, MAX_PUBLIC_BODY));

  if (tierOf(key) === 'critical') {
    const home = node.router.homeOf(key);
    // The stale-critical-reads bug answers reads from this region's own acceptor, so they are not forwarded.
    const staleLocalRead = method === 'GET' && node.config.bugs.includes('stale-critical-reads');
    if (home !== node.config.region && !staleLocalRead && !header(req, FORWARDED_HEADER) && node.health.goodRoute(home, node.config.peerTimeoutMs)) {
      const forwarded = await forward(node, home, method, req.url ?? '', method === 'GET' || method === 'DELETE' ? undefined : body);
      if (forwarded) return forwarded;
    }
    if (method === 'GET') return ok(await node.critical.get(key));
    if (method === 'PUT') {
      checkValue(requireField(body, 'value'));
      return ok(await node.critical.put(key, body.value));
    }
    if (op === 'cas') {
      checkValue(requireField(body, 'expected'), 'expected');
      checkValue(requireField(body, 'value'));
      return ok(await node.critical.cas(key, body.expected, body.value));
    }
    throw new HttpError(422, 'wrong-type', `critical keys are registers: ${method}${op ? ' ' + op : ''} does not apply to ${JSON.stringify(key)}`);
  }

  if (method === 'GET') {
    try {
      return ok(await node.eventual.get(key, session));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      // A read that failed changed nothing, so say so (503) rather than leave its outcome unknown.
      throw new HttpError(503, 'unavailable', `read failed, nothing changed: ${(e as Error).message}`);
    }
  }
  if (op === 'cas') {
    checkValue(requireField(body, 'expected'), 'expected');
    checkValue(requireField(body, 'value'));
    return ok(await node.eventual.cas(key, body.expected, body.value, session));
  }
  let local: LocalOp;
  if (method === 'PUT') {
    checkValue(requireField(body, 'value'));
    local = { op: 'put', value: body.value };
  } else if (method === 'DELETE') {
    local = { op: 'delete' };
  } else if (op === 'incr') {
    local = { op: 'incr', delta: requireNumber(body, 'delta') };
  } else {
    checkValue(requireField(body, 'element'), 'element');
    local = { op: op as 'add' | 'remove', element: body.element };
  }
  return ok(await node.eventual.write(key, local, session));
}

/**
 * Sends a critical operation (or a transaction) to the key's home region, whose proposer then serves every request
 * for that key and so avoids duelling ballots. Returns null when the request certainly never reached home (serve it here instead);
 * any other failure leaves the outcome unknown and is reported as such.
 */
async function forward(node: LayerNode, home: string, method: string, path: string, body: unknown): Promise<Reply | null> {
  try {
    const res = await peerRequest(node.config.peers[home], method, path, body, {
      timeoutMs: node.config.peerTimeoutMs * 4,
      headers: { [FORWARDED_HEADER]: node.config.region },
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

async function signed(node: LayerNode, req: IncomingMessage, path: string): Promise<Buffer> {
  const raw = await readBody(req, MAX_INTERNAL_BODY);
  if (!verify(node.config.secret, req.method ?? 'POST', path, raw, header(req, SIGNATURE_HEADER))) {
    throw new HttpError(401, 'bad-signature', `${path} needs a valid X-Rift-Signature (HMAC-SHA256 of method, path and body with the shared secret)`);
  }
  return raw;
}
