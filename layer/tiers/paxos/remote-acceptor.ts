import type { Agent } from 'node:http';
import { peerRequest } from '../../propagator/peer-client.ts';
import type { AcceptReply, PrepareReply } from './acceptor.ts';
import type { AcceptorHandle } from './proposer.ts';

/** A peer region's acceptor, reached through the peer URL with signed requests. */
export function remoteAcceptor(region: string, url: string, secret: string, timeoutMs: number, onSeen: () => void, agent?: Agent): AcceptorHandle {
  const call = async (path: string, payload: unknown) => {
    const res = await peerRequest(url, 'POST', path, payload, { timeoutMs, secret, agent });
    if (res.status !== 200) throw new Error(`acceptor ${region} answered ${res.status}: ${JSON.stringify(res.body)}`);
    onSeen();
    return res.body;
  };
  return {
    region,
    prepare: async (key, ballot) => parseReply(await call('/internal/paxos/prepare', { key, ballot }), true) as PrepareReply,
    accept: async (key, ballot, value) => parseReply(await call('/internal/paxos/accept', { key, ballot, value }), false) as AcceptReply,
  };
}

function parseReply(x: unknown, prepare: boolean): PrepareReply | AcceptReply {
  const o = (x ?? {}) as Record<string, unknown>;
  if (o.ok === false && typeof o.promised === 'number') return { ok: false, promised: o.promised };
  if (o.ok === true && !prepare) return { ok: true };
  if (o.ok === true && typeof o.accepted === 'number' && typeof o.value === 'string') return { ok: true, accepted: o.accepted, value: o.value };
  throw new Error(`malformed acceptor reply ${JSON.stringify(x)}`);
}
