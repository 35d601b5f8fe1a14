import type { Redis } from 'ioredis';
import { K } from '../store/redis.ts';
import type { Logger } from '../log.ts';

export interface LogTrimmerOptions {
  /** Every configured peer: the log keeps whatever one of them has not confirmed. */
  peers: string[];
  intervalMs: number;
  /**
   * Confirmed entries kept anyway, below the trim point. With every Redis on `appendfsync always` (the documented
   * setup) a confirmed entry is never needed again, hence the default 0. A peer whose Redis can lose its last writes
   * in a crash (`appendfsync everysec`, a failover to a replica a little behind) comes back with an applied mark
   * somewhat below what it confirmed; a tail at least that deep lets its shipper resend the difference instead of
   * stopping for a re-seed.
   */
  retainEntries: number;
  log: Logger;
}

export interface LogTrimStatus {
  /** Every entry up to this sequence has been removed from the log. */
  trimmedThrough: number;
  /** Entries in the log at the last pass. */
  entries: number;
}

/**
 * The sequence up to which the log may go: the lowest checkpoint over the peers (a peer without one yet has
 * confirmed nothing), never past the head, less the retained tail.
 */
export function trimPoint(checkpoints: (string | null)[], head: number, retain: number): number {
  const confirmed = checkpoints.map((c) => {
    const n = Number(c ?? 0);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  });
  return Math.max(0, Math.min(head, ...confirmed) - retain);
}

/** Periodically removes the log entries every peer has confirmed applied (XTRIM MINID), so the log stays bounded. */
export class LogTrimmer {
  private trimmedThrough = 0;
  private entries = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly opts: LogTrimmerOptions,
  ) {}

  status(): LogTrimStatus {
    return { trimmedThrough: this.trimmedThrough, entries: this.entries };
  }

  /** Reads where an earlier run left the log, so the status is right from the start. Call before start(). */
  async load(): Promise<void> {
    if ((await this.redis.exists(K.log)) === 0) return;
    const info = (await this.redis.xinfo('STREAM', K.log)) as unknown[];
    const field = (name: string) => info[info.indexOf(name) + 1];
    const seqOf = (id: unknown) => Number(String(id).split('-')[0]);
    const first = field('first-entry') as [string, string[]] | null;
    this.entries = Number(field('length'));
    this.trimmedThrough = first ? seqOf(first[0]) - 1 : seqOf(field('last-generated-id'));
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops the timer and waits for a pass in progress, so nothing runs against Redis afterwards. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** One pass: trim up to the current trim point and refresh the status. */
  async trimOnce(): Promise<void> {
    const [checkpoints, head] = await Promise.all([
      this.opts.peers.length > 0 ? this.redis.hmget(K.checkpoints, ...this.opts.peers) : Promise.resolve([]),
      this.redis.get(K.head),
    ]);
    const point = trimPoint(checkpoints, Number(head ?? 0), this.opts.retainEntries);
    if (point > this.trimmedThrough) {
      const removed = await this.redis.xtrim(K.log, 'MINID', `${point + 1}-0`);
      this.trimmedThrough = point;
      this.opts.log.debug('replication log trimmed', { through: point, removed });
    }
    this.entries = await this.redis.xlen(K.log);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.pass = this.trimOnce()
        .catch((e: unknown) => this.opts.log.warn('cannot trim the replication log', { error: (e as Error).message }))
        .then(() => {
          if (this.running) this.schedule(this.opts.intervalMs);
        });
    }, ms);
    this.timer.unref();
  }
}
