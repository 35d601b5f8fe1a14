import type { AcceptReply, PrepareReply } from './acceptor.ts';
import { makeBallot, roundOf, tieSlot } from './ballot.ts';
import { NotSentError } from '../../propagator/peer-client.ts';
import { MessageDropped, type Failpoints } from '../../failpoints/registry.ts';

/** One region's acceptor as seen by a proposer: local Redis, or a peer over signed HTTP. */
export interface AcceptorHandle {
  region: string;
  prepare(key: string, ballot: number): Promise<PrepareReply>;
  accept(key: string, ballot: number, value: string): Promise<AcceptReply>;
}

/** The value of a critical key: absent, or a JSON value. Encoded as '' or JSON text of `{v: value}`. */
export type Register = { present: false } | { present: true; value: unknown };

export function decodeRegister(s: string): Register {
  return s === '' ? { present: false } : { present: true, value: (JSON.parse(s) as { v: unknown }).v };
}

export function encodeRegister(r: Register): string {
  return r.present ? JSON.stringify({ v: r.value }) : '';
}

/** The operation certainly did not take effect (no majority promised, or every accept was refused). */
export class PaxosNotApplied extends Error {
  constructor(
    message: string,
    readonly reason: 'contention' | 'no-quorum',
  ) {
    super(message);
  }
}

/** Some acceptor may have accepted our value but no majority confirmed: the outcome is unknown. */
export class PaxosIndeterminate extends Error {}

const MAX_ROUNDS = 8;

export interface ProposerOptions {
  timeoutMs: number;
  failpoints: Failpoints;
  /** Calibration bug: a read answers with the value a majority promised, without the accept phase. */
  readSkipsAccept: boolean;
}

/**
 * CASPaxos (Rystsov 2018), restated: each operation is one change function applied to the register in a full
 * prepare/accept round across all regions, succeeding on a majority. Reads run the identity function through
 * the same round, so they are linearizable too; nothing is served from one replica.
 */
export class Proposer {
  private round = 0;

  constructor(
    private readonly regionIndex: number,
    private readonly acceptors: AcceptorHandle[],
    private readonly opts: ProposerOptions,
  ) {}

  get majority(): number {
    return Math.floor(this.acceptors.length / 2) + 1;
  }

  /**
   * `giveUp` is asked before every retry: when it says the majority is known to be gone, the operation stops as
   * not applied instead of spending its remaining rounds on timeouts (safe: a retry only follows a round that
   * certainly wrote nothing).
   */
  async run<T>(
    key: string,
    change: (current: Register) => { next: Register; result: T },
    opts: { readOnly: boolean; giveUp?: () => boolean },
  ): Promise<T> {
    let lastReason: 'contention' | 'no-quorum' = 'no-quorum';
    for (let attempt = 0; attempt < MAX_ROUNDS; attempt++) {
      if (attempt > 0) {
        await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** Math.min(attempt, 5)));
        if (opts.giveUp?.()) throw new PaxosNotApplied(`critical ${JSON.stringify(key)}: quorum lost while retrying; nothing was written`, 'no-quorum');
      }
      const round = ++this.round;
      const ballot = makeBallot(round, tieSlot(round, this.regionIndex, this.acceptors.length));
      const promised = await this.gather(this.acceptors.map((a) => () => a.prepare(key, ballot)));
      if (promised.oks.length < this.majority) {
        lastReason = this.noteRefusals(promised.refusals);
        continue;
      }
      let best: { accepted: number; value: string } = { accepted: -1, value: '' };
      for (const r of promised.oks) if (r.ok && r.accepted > best.accepted) best = r;
      const { next, result } = change(decodeRegister(best.value));
      // The bug's reasoning: "a read changes nothing, so there is nothing to accept". But the highest value a
      // majority reported may be accepted by a minority only, and a later read can miss it.
      if (opts.readOnly && this.opts.readSkipsAccept) return this.reply(result);
      const encoded = encodeRegister(next);
      const accepted = await this.gather(this.acceptCalls(key, ballot, encoded));
      if (accepted.oks.length >= this.majority) return this.reply(result);
      lastReason = this.noteRefusals(accepted.refusals);
      // A read changes nothing, and a write nobody may have accepted can start over; anything else is unknown.
      if (opts.readOnly || (accepted.oks.length === 0 && accepted.unknown === 0)) continue;
      throw new PaxosIndeterminate(
        `critical ${JSON.stringify(key)}: ${accepted.oks.length} of ${this.acceptors.length} regions accepted (need ${this.majority}); outcome unknown`,
      );
    }
    throw new PaxosNotApplied(
      lastReason === 'contention'
        ? `critical ${JSON.stringify(key)}: competing proposals won ${MAX_ROUNDS} rounds in a row; nothing was written, safe to retry`
        : `critical ${JSON.stringify(key)}: fewer than ${this.majority} of ${this.acceptors.length} regions answered; nothing was written`,
      lastReason,
    );
  }

  /** One call per acceptor; with paxos-accept-sent armed, only the first k go out before the failpoint fires. */
  private acceptCalls(key: string, ballot: number, encoded: string): (() => Promise<AcceptReply>)[] {
    const calls = this.acceptors.map((a) => () => a.accept(key, ballot, encoded));
    const armed = this.opts.failpoints.peek('paxos-accept-sent');
    if (!armed) return calls;
    const k = Math.min(armed.k ?? 1, calls.length);
    let gate: Promise<boolean> | undefined;
    // The gate is opened by the k-th send (or at once for k = 0), so "after sending accept to k acceptors" holds.
    const open = () => (gate ??= (this.opts.failpoints.hit('paxos-accept-sent') ?? Promise.resolve('go' as const)).then((v) => v === 'go'));
    return calls.map((call, i) => {
      if (i < k) return () => { const p = call(); if (i === k - 1) open(); return p; };
      return async () => {
        if (!(await open())) throw new MessageDropped('paxos-accept-sent');
        return call();
      };
    });
  }

  private async reply<T>(result: T): Promise<T> {
    const hit = this.opts.failpoints.hit('paxos-proposer-reply');
    if (hit && (await hit) === 'drop') throw new MessageDropped('paxos-proposer-reply');
    return result;
  }

  private noteRefusals(refusals: number[]): 'contention' | 'no-quorum' {
    for (const p of refusals) this.round = Math.max(this.round, roundOf(p));
    return refusals.length > 0 ? 'contention' : 'no-quorum';
  }

  /** Calls every acceptor, resolving once a majority agreed or a majority can no longer be reached. */
  private gather<R extends { ok: boolean; promised?: number }>(
    calls: (() => Promise<R>)[],
  ): Promise<{ oks: R[]; refusals: number[]; unknown: number }> {
    return new Promise((resolve) => {
      const oks: R[] = [];
      const refusals: number[] = [];
      let unknown = 0;
      let pending = calls.length;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ oks, refusals, unknown: unknown + pending });
      };
      const timer = setTimeout(finish, this.opts.timeoutMs);
      const check = () => {
        if (oks.length >= this.majority || oks.length + pending < this.majority) finish();
      };
      for (const call of calls) {
        call().then(
          (r) => {
            pending--;
            if (r.ok) oks.push(r);
            else refusals.push(r.promised ?? 0);
            check();
          },
          (e) => {
            pending--;
            if (!(e instanceof NotSentError)) unknown++;
            check();
          },
        );
      }
    });
  }
}
