import { HttpError } from '../http/errors.ts';
import { canonicalJson } from '../resolver/canonical-json.ts';
import { CorruptValueError } from '../store/corrupt.ts';
import { decodeRegister, PaxosIndeterminate, PaxosNotApplied, type Proposer, type Register } from './paxos/proposer.ts';
import type { RedisAcceptor } from './paxos/acceptor.ts';
import { decodeSession, encodeSession, mergeSession, type SessionVector } from './session.ts';

export interface CriticalDeps {
  proposer: Proposer;
  acceptor: RedisAcceptor;
  isDegraded: () => boolean;
  /** Calibration bug: answer reads from this region's acceptor without a round. */
  staleReads: boolean;
  onOp: (op: string, outcome: string, seconds: number) => void;
}

/**
 * What a critical register holds: the client's value, its write number `n` (1, 2, 3 … in the key's linearization
 * order, the source of its version token) and `deps`, the session vectors its writers had observed (merged, so
 * it only grows). A reply's session covers `deps`: whoever has seen this value then reads normal keys at least as
 * new as what its writers had seen (see tiers/session.ts).
 */
interface Cell {
  value: unknown;
  n: number;
  deps: SessionVector;
}

const VERSION_DIGITS = 16;

/** `c.` and a fixed-width write number, so that plain string order is the key's write order. */
export function criticalVersionToken(n: number): string {
  return `c.${String(n).padStart(VERSION_DIGITS, '0')}`;
}

function cellOf(key: string, r: Register): Cell | null {
  if (!r.present) return null;
  const c = r.value as Partial<Cell> | null;
  if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.n) || (c.n as number) < 1 || !('value' in c)) {
    throw new CorruptValueError(key, 'critical register is not {value, n, deps}');
  }
  let deps: SessionVector;
  try {
    deps = decodeSession(encodeSession((c.deps ?? {}) as SessionVector));
  } catch {
    throw new CorruptValueError(key, 'critical register deps is not a session vector');
  }
  return { value: c.value, n: c.n as number, deps };
}

const registerOf = (c: Cell): Register => ({ present: true, value: { value: c.value, n: c.n, deps: c.deps } });

/** The client-visible part of a register: value (null when absent), version token and the session to hand back. */
function view(cell: Cell | null, session: SessionVector): { value: unknown; version: string | null; session: string } {
  return {
    value: cell ? cell.value : null,
    version: cell ? criticalVersionToken(cell.n) : null,
    session: encodeSession(cell ? mergeSession(session, cell.deps) : session),
  };
}

/**
 * Critical keys: linearizable registers across regions, one CASPaxos instance per key. Below quorum they refuse
 * at once (503, nothing happened) rather than wait for a majority that is known to be missing.
 */
export class CriticalTier {
  /** Operations on one key queue here, so this proposer never duels with itself over a key. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly d: CriticalDeps) {}

  /** `gone` aborts when the client went away: an operation still queued behind others is then dropped unstarted. */
  async get(key: string, sessionToken: string | undefined, gone?: AbortSignal): Promise<Record<string, unknown>> {
    const session = decodeSession(sessionToken);
    if (this.d.staleReads) return { key, ...view(cellOf(key, decodeRegister(await this.d.acceptor.localValue(key))), session) };
    const cell = await this.round('read', key, (cur) => ({ next: cur, result: cellOf(key, cur) }), true, gone);
    return { key, ...view(cell, session) };
  }

  async put(key: string, value: unknown, sessionToken: string | undefined, gone?: AbortSignal): Promise<Record<string, unknown>> {
    const session = decodeSession(sessionToken);
    const cell = await this.round('write', key, (cur) => this.write(key, cur, value, session), false, gone);
    const { version, session: token } = view(cell, session);
    return { ok: true, version, session: token };
  }

  async cas(key: string, expected: unknown, value: unknown, sessionToken: string | undefined, gone?: AbortSignal): Promise<Record<string, unknown>> {
    const session = decodeSession(sessionToken);
    const r = await this.round(
      'cas',
      key,
      (cur) => {
        const current = cellOf(key, cur);
        if (canonicalJson(current ? current.value : null) !== canonicalJson(expected)) return { next: cur, result: { ok: false, cell: current } };
        const w = this.write(key, cur, value, session);
        return { next: w.next, result: { ok: true, cell: w.result } };
      },
      false,
      gone,
    );
    return { ok: r.ok, ...view(r.cell, session) };
  }

  /** The next cell: one write later, depending on everything the previous one did and the writer's session. */
  private write(key: string, cur: Register, value: unknown, session: SessionVector): { next: Register; result: Cell } {
    const prev = cellOf(key, cur);
    const cell: Cell = { value, n: (prev?.n ?? 0) + 1, deps: mergeSession(prev?.deps ?? {}, session) };
    return { next: registerOf(cell), result: cell };
  }

  private async round<T>(
    op: string,
    key: string,
    change: (cur: Register) => { next: Register; result: T },
    readOnly: boolean,
    gone: AbortSignal | undefined,
  ): Promise<T> {
    if (this.d.isDegraded()) {
      this.d.onOp(op, 'degraded', 0);
      throw new HttpError(503, 'degraded', `region is below quorum; critical key ${JSON.stringify(key)} refuses ${op}s until a majority of regions is reachable`);
    }
    const prev = this.queues.get(key) ?? Promise.resolve();
    // Under overload, clients time out while their operations wait in this queue; running those anyway would only
    // delay the operations of clients still waiting (a convoy). Not started means nothing was written.
    const run = prev.then(() => {
      if (gone?.aborted) {
        this.d.onOp(op, 'abandoned', 0);
        throw new HttpError(503, 'abandoned', `the client went away before the ${op} of critical key ${JSON.stringify(key)} started; nothing was written`);
      }
      return this.propose(op, key, change, readOnly);
    });
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async propose<T>(op: string, key: string, change: (cur: Register) => { next: Register; result: T }, readOnly: boolean): Promise<T> {
    const started = performance.now();
    try {
      const result = await this.d.proposer.run(key, change, { readOnly, giveUp: this.d.isDegraded });
      this.d.onOp(op, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (e) {
      const seconds = (performance.now() - started) / 1000;
      if (e instanceof PaxosNotApplied) {
        this.d.onOp(op, e.reason, seconds);
        throw e.reason === 'contention' ? new HttpError(409, 'contention', e.message) : new HttpError(503, 'no-quorum', e.message);
      }
      if (e instanceof PaxosIndeterminate) {
        this.d.onOp(op, 'indeterminate', seconds);
        throw new HttpError(500, 'indeterminate', e.message);
      }
      throw e;
    }
  }
}
