import type { Redis } from 'ioredis';
import type { Ctx, Stored } from '../resolver/index.ts';
import type { Version } from '../clock/version.ts';
import { vcIncrement } from '../clock/vclock.ts';
import { K } from '../store/redis.ts';
import { COMMIT_LOCAL, READ_SNAPSHOT } from './scripts.ts';
import { decodeStored } from './stored-codec.ts';
import type { NodeClock } from './node-clock.ts';

export interface Snapshot {
  key: string;
  /** The key's change counter when read; the commit succeeds only if it is unchanged. */
  n: string;
  stored: Stored | undefined;
}

export interface LogItem {
  key: string;
  stored: Stored;
}

/** What a transaction wants written (possibly nothing) and what to answer the client. */
export interface Plan<T> {
  writes: Map<string, Stored>;
  result: T;
}

export interface Committed<T> {
  result: T;
  /** The log sequence of the entry, or null when nothing was written (or, with ack-before-write, not yet). */
  seq: number | null;
  version: Version;
}

export interface CoordinatorOptions {
  checkVersions: boolean;
  ackBeforeWrite: boolean;
  onCommit: (seq: number, items: LogItem[]) => void;
  onBackgroundError: (err: unknown) => void;
}

const MAX_ATTEMPTS = 200;
/** Dots are reserved from Redis in blocks, so a write does not pay an extra fsync'd INCR. */
const DOT_BLOCK = 1000;
const WRITE_BEHIND_MS = 200;

export class ConflictRetriesExhausted extends Error {}

/**
 * The write coordinator: snapshot the keys, let the caller compute new states, and commit them with one Lua
 * script that checks nothing changed in between (optimistic CAS), so a local write never silently overwrites a
 * concurrent local write; on a lost race it recomputes from a fresh snapshot.
 */
export class Coordinator {
  private nextDot = 0;
  private dotLimit = 0;
  private dotRefill: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly region: string,
    private readonly clock: NodeClock,
    private readonly opts: CoordinatorOptions,
  ) {}

  async snapshot(keys: string[]): Promise<Snapshot[]> {
    return this.read(keys);
  }

  /** Context for a new write of `key` whose current state is `current`. */
  ctx(version: Version, current: Stored | undefined): Ctx {
    return { region: this.region, version, vclock: vcIncrement(current?.vclock ?? {}, this.region) };
  }

  async transact<T>(keys: string[], plan: (snaps: Snapshot[], version: Version) => Plan<T>): Promise<Committed<T>> {
    const first = await this.attempt(keys, plan);
    if (first.kind === 'done') return first.committed;
    if (this.opts.ackBeforeWrite) {
      // Calibration bug: a write-behind buffer. The client hears "ok" now and Redis gets the write a little later,
      // so a crash in between loses an acknowledged write.
      const ack: Committed<T> = { result: first.result, seq: null, version: first.version };
      setTimeout(() => this.commitLoop(keys, plan, first).catch(this.opts.onBackgroundError), WRITE_BEHIND_MS);
      return ack;
    }
    return this.commitLoop(keys, plan, first);
  }

  private async commitLoop<T>(keys: string[], plan: (s: Snapshot[], v: Version) => Plan<T>, pending: Pending<T>): Promise<Committed<T>> {
    let p: Pending<T> | Done<T> = pending;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (p.kind === 'done') return p.committed;
      const seq = await this.commit(p);
      if (seq !== null) return { result: p.result, seq, version: p.version };
      if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
      p = await this.attempt(keys, plan);
    }
    throw new ConflictRetriesExhausted(`gave up after ${MAX_ATTEMPTS} lost races on keys ${JSON.stringify(keys)}`);
  }

  private async attempt<T>(keys: string[], plan: (s: Snapshot[], v: Version) => Plan<T>): Promise<Pending<T> | Done<T>> {
    const snaps = await this.read(keys);
    const version: Version = { hlc: this.clock.now(), region: this.region, seq: await this.takeDot() };
    const out = plan(snaps, version);
    if (out.writes.size === 0) return { kind: 'done', committed: { result: out.result, seq: null, version } };
    return { kind: 'pending', snaps, writes: out.writes, result: out.result, version };
  }

  private async commit<T>(p: Pending<T>): Promise<number | null> {
    const items: LogItem[] = [];
    const expected: string[] = [];
    const write: string[] = [];
    const json: string[] = [];
    for (const s of p.snaps) {
      const next = p.writes.get(s.key);
      expected.push(s.n);
      write.push(next ? '1' : '0');
      json.push(next ? JSON.stringify(next) : '');
      if (next) items.push({ key: s.key, stored: next });
    }
    const res = (await COMMIT_LOCAL.run(
      this.redis,
      [K.head, K.log, ...p.snaps.map((s) => K.kv(s.key))],
      [this.opts.checkVersions ? '1' : '0', p.snaps.length, Date.now(), JSON.stringify(items), ...expected, ...write, ...json],
    )) as [number, number];
    if (res[0] !== 1) return null;
    this.opts.onCommit(res[1], items);
    return res[1];
  }

  private async read(keys: string[]): Promise<Snapshot[]> {
    const raw = (await READ_SNAPSHOT.run(this.redis, [K.applied, ...keys.map(K.kv)], ['-'])) as (string | number)[];
    return keys.map((key, i) => ({ key, n: String(raw[1 + 2 * i]), stored: decodeStored(String(raw[2 + 2 * i]), key) }));
  }

  /** A region-unique, increasing write counter; a block lost to a crash only leaves a gap. */
  private async takeDot(): Promise<number> {
    while (this.nextDot >= this.dotLimit) {
      this.dotRefill ??= this.redis.incrby(K.dot, DOT_BLOCK).then(
        (limit) => {
          this.nextDot = limit - DOT_BLOCK + 1;
          this.dotLimit = limit + 1;
          this.dotRefill = null;
        },
        (e) => {
          this.dotRefill = null;
          throw e;
        },
      );
      await this.dotRefill;
    }
    return this.nextDot++;
  }
}

interface Pending<T> {
  kind: 'pending';
  snaps: Snapshot[];
  writes: Map<string, Stored>;
  result: T;
  version: Version;
}
interface Done<T> {
  kind: 'done';
  committed: Committed<T>;
}
