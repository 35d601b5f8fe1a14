import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Ctx, Stored } from '../resolver/index.ts';
import type { Version } from '../clock/version.ts';
import { vcIncrement } from '../clock/vclock.ts';
import { K } from '../store/redis.ts';
import { COMMIT_GROUP, READ_SNAPSHOT } from './scripts.ts';
import { decodeStored } from './stored-codec.ts';
import type { NodeClock } from './node-clock.ts';
import { StateCache } from './state-cache.ts';
import { HttpError } from '../http/errors.ts';

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
  /** Calibration bug: each newly reserved block of dots starts at the last dot of the block before it. */
  dotBlockOverlap?: boolean;
  onCommit: (seq: number, items: LogItem[]) => void;
  onBackgroundError: (err: unknown) => void;
}

const MAX_ATTEMPTS = 200;
/** Dots are reserved from Redis in blocks, so a write does not pay an extra fsync'd INCR. */
const DOT_BLOCK = 1000;
const WRITE_BEHIND_MS = 200;
/** Writes per group commit: enough to share one fsync among a busy node's writers, few enough to keep a call short. */
const MAX_GROUP = 64;

export class ConflictRetriesExhausted extends Error {}

/**
 * The write coordinator: snapshot the keys, let the caller compute new states, and commit them with one Lua
 * script that checks nothing changed in between (optimistic CAS), so a local write never silently overwrites a
 * concurrent local write; on a lost race it recomputes from a fresh snapshot.
 *
 * Two things keep it fast (see "Performance" in layer/README.md): a write to a key this node read or wrote
 * recently starts from its cached state instead of a snapshot round trip (the commit's CAS still catches a stale
 * cache), and commits waiting while another is in flight go to Redis together in one call (group commit).
 */
export class Coordinator {
  private nextDot = 0;
  private dotLimit = 0;
  private dotRefill: Promise<void> | null = null;
  private readonly cache: StateCache;
  private epoch: string | null = null;
  private readonly queue: QueuedCommit[] = [];
  private draining = false;
  private seeding = false;
  /** Per key, the end of the latest local write queued on it. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly region: string,
    private readonly clock: NodeClock,
    private readonly opts: CoordinatorOptions,
    /** Shared with the receiver, which keeps it current for the keys it applies. */
    cache = new StateCache(),
  ) {
    this.cache = cache;
  }

  async snapshot(keys: string[]): Promise<Snapshot[]> {
    this.refuseWhileSeeding();
    return this.read(keys);
  }

  /**
   * While the region's wiped data set is re-seeded from its peers, reads would go back in time and writes would
   * build on missing states (and reuse dots the peers have seen), so both are refused: nothing happens (503).
   */
  setSeeding(on: boolean): void {
    this.seeding = on;
  }

  private refuseWhileSeeding(): void {
    if (this.seeding) throw new HttpError(503, 'reseeding', `region ${this.region} lost its data and is being re-seeded from its peers; nothing was done, retry shortly or use another region`);
  }

  /** Another path (replication, re-seeding) changed the key: the next write reads it afresh. */
  invalidate(key: string): void {
    this.cache.invalidate(key);
  }

  /** Context for a new write of `key` whose current state is `current`. */
  ctx(version: Version, current: Stored | undefined): Ctx {
    return { region: this.region, version, vclock: vcIncrement(current?.vclock ?? {}, this.region) };
  }

  /**
   * Runs a write after this node's earlier writes to any of the same keys, so local writers of a hot key queue up
   * behind each other (one round trip each, from the cached state) instead of racing and retrying. Not with the
   * skip-version-check bug: that bug is about concurrent local writes, which must then still happen.
   */
  async transact<T>(keys: string[], plan: (snaps: Snapshot[], version: Version) => Plan<T>): Promise<Committed<T>> {
    this.refuseWhileSeeding();
    if (!this.opts.checkVersions) return this.run(keys, plan);
    const before = keys.flatMap((k) => this.tails.get(k) ?? []);
    let release = () => {};
    const mine = new Promise<void>((r) => (release = r));
    for (const k of keys) this.tails.set(k, mine);
    try {
      if (before.length) await Promise.all(before);
      return await this.run(keys, plan);
    } finally {
      release();
      for (const k of keys) if (this.tails.get(k) === mine) this.tails.delete(k);
    }
  }

  private async run<T>(keys: string[], plan: (snaps: Snapshot[], version: Version) => Plan<T>): Promise<Committed<T>> {
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
      p = await this.attempt(keys, plan, true);
    }
    throw new ConflictRetriesExhausted(`gave up after ${MAX_ATTEMPTS} lost races on keys ${JSON.stringify(keys)}`);
  }

  /**
   * Plans the write on a snapshot: the cached one when every key is cached, else a fresh read. A plan on a cached
   * snapshot that writes nothing or refuses is redone on a fresh read, since only a commit validates the cache.
   */
  private async attempt<T>(keys: string[], plan: (s: Snapshot[], v: Version) => Plan<T>, fresh = false): Promise<Pending<T> | Done<T>> {
    const cached = fresh ? null : this.cached(keys);
    const snaps = cached ?? (await this.read(keys));
    const version: Version = { hlc: this.clock.now(), region: this.region, seq: await this.takeDot() };
    let out: Plan<T>;
    try {
      out = plan(snaps, version);
    } catch (e) {
      if (cached) return this.attempt(keys, plan, true);
      throw e;
    }
    if (out.writes.size === 0) {
      if (cached) return this.attempt(keys, plan, true);
      return { kind: 'done', committed: { result: out.result, seq: null, version } };
    }
    return { kind: 'pending', snaps, writes: out.writes, result: out.result, version };
  }

  /** The cached snapshot of every key, or null. Off with the skip-version-check bug: nothing would catch a stale entry. */
  private cached(keys: string[]): Snapshot[] | null {
    if (!this.opts.checkVersions) return null;
    const out: Snapshot[] = [];
    for (const key of keys) {
      const c = this.cache.get(key);
      if (!c) return null;
      out.push({ key, n: c.n, stored: c.stored });
    }
    return out;
  }

  private async commit<T>(p: Pending<T>): Promise<number | null> {
    const items: string[] = [];
    const logged: LogItem[] = [];
    const expected: string[] = [];
    const write: string[] = [];
    const json: string[] = [];
    for (const s of p.snaps) {
      const next = p.writes.get(s.key);
      const text = next ? JSON.stringify(next) : '';
      expected.push(s.n);
      write.push(next ? '1' : '0');
      json.push(text);
      if (next) {
        items.push(`{"key":${JSON.stringify(s.key)},"stored":${text}}`);
        logged.push({ key: s.key, stored: next });
      }
    }
    const seq = await new Promise<number | null>((resolve, reject) => {
      this.queue.push({ kvKeys: p.snaps.map((s) => K.kv(s.key)), args: [p.snaps.length, `[${items.join(',')}]`, ...expected, ...write, ...json], resolve, reject });
      if (!this.draining) void this.drain();
    });
    if (seq === null) {
      for (const s of p.snaps) this.cache.invalidate(s.key);
      return null;
    }
    if (this.opts.checkVersions) {
      // A key only read keeps its entry: the CAS just proved it current, and it may carry the state's JSON.
      p.snaps.forEach((s, i) => {
        const next = p.writes.get(s.key);
        if (next) this.cache.set(s.key, { n: String(Number(s.n) + 1), stored: next, json: json[i] });
      });
    }
    this.opts.onCommit(seq, logged);
    return seq;
  }

  /** Sends queued commits, all waiting ones together, one call at a time; writes arriving meanwhile form the next group. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const results = await this.commitGroup(group);
          group.forEach((c, i) => c.resolve(results[i]));
        } catch (e) {
          for (const c of group) c.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** One COMMIT_GROUP call; on an epoch mismatch (Redis flushed) the cache is dropped and every write retries. */
  private async commitGroup(group: QueuedCommit[]): Promise<(number | null)[]> {
    const epoch = this.epoch ?? (await this.loadEpoch());
    const keys = [K.head, K.log, K.epoch, ...group.flatMap((c) => c.kvKeys)];
    const args = [this.opts.checkVersions ? '1' : '0', epoch, Date.now(), group.length, ...group.flatMap((c) => c.args)];
    const res = (await COMMIT_GROUP.run(this.redis, keys, args)) as number[];
    if (res[0] === -1) {
      this.cache.clear();
      this.epoch = null;
      return group.map(() => null);
    }
    return res.map((seq) => (seq > 0 ? seq : null));
  }

  /** The Redis data set's epoch, created if missing (a new or flushed data set). */
  private async loadEpoch(): Promise<string> {
    const [, epoch] = await Promise.all([this.redis.set(K.epoch, randomUUID(), 'NX'), this.redis.get(K.epoch)]);
    if (epoch === null) throw new Error('the Redis epoch key vanished while being set');
    this.epoch = epoch;
    return epoch;
  }

  private async read(keys: string[]): Promise<Snapshot[]> {
    const raw = (await READ_SNAPSHOT.run(this.redis, [K.applied, ...keys.map(K.kv)], ['-'])) as (string | number)[];
    const snaps = keys.map((key, i) => ({ key, n: String(raw[1 + 2 * i]), stored: decodeStored(String(raw[2 + 2 * i]), key) }));
    if (this.opts.checkVersions) snaps.forEach((s, i) => this.cache.set(s.key, { n: s.n, stored: s.stored, json: String(raw[2 + 2 * i]) }));
    return snaps;
  }

  /** A region-unique, increasing write counter; a block lost to a crash only leaves a gap. */
  private async takeDot(): Promise<number> {
    while (this.nextDot >= this.dotLimit) {
      this.dotRefill ??= this.redis.incrby(K.dot, DOT_BLOCK).then(
        (limit) => {
          this.nextDot = limit - DOT_BLOCK + (this.opts.dotBlockOverlap ? 0 : 1);
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

interface QueuedCommit {
  kvKeys: string[];
  args: (string | number)[];
  resolve: (seq: number | null) => void;
  reject: (e: unknown) => void;
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
