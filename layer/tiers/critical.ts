import { HttpError } from '../http/errors.ts';
import { canonicalJson } from '../resolver/canonical-json.ts';
import { decodeRegister, PaxosIndeterminate, PaxosNotApplied, type Proposer, type Register } from './paxos/proposer.ts';
import type { RedisAcceptor } from './paxos/acceptor.ts';

export interface CriticalDeps {
  proposer: Proposer;
  acceptor: RedisAcceptor;
  isDegraded: () => boolean;
  /** Calibration bug: answer reads from this region's acceptor without a round. */
  staleReads: boolean;
  onOp: (op: string, outcome: string, seconds: number) => void;
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
  async get(key: string, gone?: AbortSignal): Promise<Record<string, unknown>> {
    if (this.d.staleReads) {
      const r = decodeRegister(await this.d.acceptor.localValue(key));
      return { key, value: r.present ? r.value : null };
    }
    const value = await this.round('read', key, (cur) => ({ next: cur, result: cur.present ? cur.value : null }), true, gone);
    return { key, value };
  }

  async put(key: string, value: unknown, gone?: AbortSignal): Promise<Record<string, unknown>> {
    await this.round('write', key, () => ({ next: { present: true, value }, result: true }), false, gone);
    return { ok: true };
  }

  async cas(key: string, expected: unknown, value: unknown, gone?: AbortSignal): Promise<Record<string, unknown>> {
    return this.round(
      'cas',
      key,
      (cur) => {
        const current = cur.present ? cur.value : null;
        if (canonicalJson(current) !== canonicalJson(expected)) return { next: cur, result: { ok: false, value: current } };
        return { next: { present: true, value } as Register, result: { ok: true, value } };
      },
      false,
      gone,
    );
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
