/**
 * Failpoints: named places in the consensus and replication paths where an operator (the failpoint nemesis,
 * through the admin API) can make this node crash, pause or drop a message, at exactly that step. The idea is
 * etcd's gofail; this is our own, armed at run time instead of compiled in.
 *
 * Inert unless armed: call sites ask `hit(name)`, which is a size check on an empty map when nothing is armed,
 * and only then await anything.
 */

export const FAILPOINTS = {
  'paxos-accept-sent': 'proposer: after sending accept to k acceptors (k from the arming, default 1), before the rest',
  'paxos-before-promise': 'acceptor: a prepare arrived, before the promise is persisted',
  'paxos-before-accept': 'acceptor: an accept arrived, before it is persisted',
  'paxos-acceptor-reply': 'acceptor: promise or accept persisted, before the reply',
  'paxos-proposer-reply': 'proposer: operation decided by a majority, before answering the client',
  'replicate-before-apply': 'receiver: a batch arrived, before it is applied (pause: later batches may overtake it)',
  'replicate-before-write': 'receiver: entries merged in memory, before they are written to Redis',
  'replicate-receiver-reply': 'receiver: a batch applied, before the reply to the shipper',
  'replicate-before-checkpoint': 'shipper: the peer confirmed a batch, before the checkpoint is saved',
} as const;
export type FailpointName = keyof typeof FAILPOINTS;
export const FAILPOINT_NAMES = Object.keys(FAILPOINTS) as FailpointName[];
export const isFailpointName = (s: unknown): s is FailpointName => typeof s === 'string' && Object.hasOwn(FAILPOINTS, s);

export const FAILPOINT_ACTIONS = ['crash', 'pause', 'drop'] as const;
export type FailpointAction = (typeof FAILPOINT_ACTIONS)[number];

export interface FailpointSpec {
  name: FailpointName;
  /** crash: SIGKILL this process; pause: wait `ms` then go on; drop: the message at this point is lost. */
  action: FailpointAction;
  ms?: number;
  /** Only for paxos-accept-sent: how many accepts go out before the point. */
  k?: number;
  /** How many hits fire before the point disarms itself (default 1). */
  times?: number;
}

/** What a call site does after a hit: go on as usual, or behave as if its message never arrived / was never sent. */
export type FailpointVerdict = 'go' | 'drop';

export class FailpointError extends Error {}

/** Validates an arming request (admin API body); every problem names the field. */
export function parseFailpointSpec(x: unknown): FailpointSpec {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new FailpointError('failpoint: body must be an object {name, action, ms?, k?, times?}');
  const o = x as Record<string, unknown>;
  if (!isFailpointName(o.name)) throw new FailpointError(`failpoint: field "name" must be one of ${FAILPOINT_NAMES.join(', ')}; got ${JSON.stringify(o.name)}`);
  if (!(FAILPOINT_ACTIONS as readonly unknown[]).includes(o.action)) {
    throw new FailpointError(`failpoint: field "action" must be one of ${FAILPOINT_ACTIONS.join(', ')}; got ${JSON.stringify(o.action)}`);
  }
  const int = (field: string, min: number, max: number): number | undefined => {
    const v = o[field];
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) throw new FailpointError(`failpoint: field "${field}" must be an integer ${min}..${max}; got ${JSON.stringify(v)}`);
    return v as number;
  };
  const ms = int('ms', 0, 600_000);
  const k = int('k', 0, 1_000);
  const times = int('times', 1, 1_000_000);
  const action = o.action as FailpointAction;
  if (action === 'pause' && ms === undefined) throw new FailpointError('failpoint: action "pause" needs field "ms"');
  return { name: o.name, action, ...(ms !== undefined ? { ms } : {}), ...(k !== undefined ? { k } : {}), ...(times !== undefined ? { times } : {}) };
}

const CRASH_FLUSH_MS = 10;

interface Armed {
  spec: FailpointSpec;
  left: number;
}

export class Failpoints {
  private readonly armed = new Map<FailpointName, Armed>();
  private readonly firedCount = new Map<FailpointName, number>();

  /** `crash` must not return: the real one kills the process; tests pass one that throws. */
  constructor(private readonly crash: (name: FailpointName) => never) {}

  arm(spec: FailpointSpec): void {
    this.armed.set(spec.name, { spec, left: spec.times ?? 1 });
  }

  /** Disarms everything and says how often each point fired since the last disarm. */
  disarmAll(): Record<string, number> {
    this.armed.clear();
    const fired = Object.fromEntries(this.firedCount);
    this.firedCount.clear();
    return fired;
  }

  list(): { armed: (FailpointSpec & { left: number })[]; fired: Record<string, number> } {
    return { armed: [...this.armed.values()].map((a) => ({ ...a.spec, left: a.left })), fired: Object.fromEntries(this.firedCount) };
  }

  /** The arming of `name`, if armed (to read `k` before the point is reached). */
  peek(name: FailpointName): FailpointSpec | undefined {
    return this.armed.size === 0 ? undefined : this.armed.get(name)?.spec;
  }

  /** Undefined when `name` is not armed (the call site goes on without awaiting); otherwise fires it once. */
  hit(name: FailpointName): Promise<FailpointVerdict> | undefined {
    if (this.armed.size === 0) return undefined;
    const a = this.armed.get(name);
    if (!a) return undefined;
    if (--a.left <= 0) this.armed.delete(name);
    this.firedCount.set(name, (this.firedCount.get(name) ?? 0) + 1);
    switch (a.spec.action) {
      case 'crash':
        // A few ms late, so bytes the call site already handed to sockets (the k accepts) leave the process; the
        // call site itself never resumes.
        return new Promise<never>(() => setTimeout(() => this.crash(name), CRASH_FLUSH_MS));
      case 'pause':
        return new Promise((resolve) => setTimeout(() => resolve('go'), a.spec.ms ?? 0));
      case 'drop':
        return Promise.resolve('drop');
    }
  }
}

/** Thrown where a dropped message means "no answer": the HTTP layer then closes the connection without replying. */
export class MessageDropped extends Error {
  constructor(readonly point: FailpointName) {
    super(`failpoint ${point}: message dropped`);
  }
}
