import type { Redis } from 'ioredis';
import { K } from '../store/redis.ts';
import type { Logger } from '../log.ts';
import { Agent } from 'node:http';
import { EncodedJson, peerRequest } from './peer-client.ts';
import { encodeBatchBody } from './batch-body.ts';
import { missingEntries, type MissingRange } from './log-gap.ts';
import { batchTarget } from './batch.ts';
import type { Failpoints } from '../failpoints/registry.ts';

export interface ShipperOptions {
  origin: string;
  peer: string;
  peerUrl: string;
  secret: string;
  batchSize: number;
  timeoutMs: number;
  /** This region's log head as the node knows it (a hint: whether a whole batch is waiting to be shipped). */
  logHead: () => number;
  /** Calibration bug: after a failed send, skip that batch instead of resending it. */
  dropBatchOnRetry: boolean;
  failpoints: Failpoints;
  log: Logger;
}

export interface ShipperStatus {
  peer: string;
  /** Highest own log sequence the peer confirmed applied. */
  acked: number;
  /** Commit time (ms) of the oldest entry the peer has not confirmed, or null when caught up. */
  oldestPendingTs: number | null;
  failures: number;
  /** Why shipping to this peer has stopped (it needs entries trimmed from the log: re-seed it), or null. */
  stalled: string | null;
}

/**
 * Consecutive log entries as stored: their items stay the bytes Redis sent, spliced into the batch body without
 * being decoded into strings or parsed.
 */
interface LogRun {
  count: number;
  first: number;
  last: number;
  /** Commit time of the first entry. */
  firstTs: number;
  /** The entries' JSON objects, comma-separated, in pieces. */
  parts: Buffer[];
}

const ENTRY_END = Buffer.from('}');
const BODY_END = Buffer.from(']}');

type Outcome = { kind: 'ok'; applied: number } | { kind: 'gap'; applied: number } | { kind: 'failed'; applied?: number };

/** Batches in flight: enough to keep the peer's apply loop busy while the next batch is read, deflated and sent. */
const PIPELINE_DEPTH = 4;
const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1_000;
const IDLE_POLL_MS = 250;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const RESEED_POLL_MS = 1_000;

/**
 * Ships this region's log to one peer: read from the checkpoint, send a signed batch, and move the checkpoint to
 * whatever the peer says it has applied (so a peer that lost or skipped entries is re-sent them). The checkpoint
 * lives in Redis, so either side can restart; batches are resent until acknowledged, with capped, jittered backoff.
 */
export class Shipper {
  private acked = 0;
  private oldestPendingTs: number | null = null;
  private failures = 0;
  private stalled: string | null = null;
  private running = false;
  private wake: (() => void) | null = null;
  /** Whether the current sleep is the idle poll (new commits end it) rather than a backoff (only the peer's return does). */
  private idle = false;
  /** A commit was notified since the log was last read (so an idle sleep would miss it). */
  private committed = false;
  /** The checkpoint save under way, and whether a newer confirmation arrived meanwhile (see confirm). */
  private persisting: Promise<void> | null = null;
  private persistAgain = false;
  private loop: Promise<void> | null = null;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: PIPELINE_DEPTH + 1 });

  constructor(
    private readonly redis: Redis,
    private readonly opts: ShipperOptions,
  ) {}

  status(): ShipperStatus {
    return { peer: this.opts.peer, acked: this.acked, oldestPendingTs: this.oldestPendingTs, failures: this.failures, stalled: this.stalled };
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** New local commits call this so shipping does not wait for the idle poll. */
  notify(): void {
    this.committed = true;
    if (this.idle) this.wake?.();
  }

  /**
   * The peer answers again (health probe, or a request from it): a backoff after failures ends now, and the backlog
   * goes pipelined at once rather than one batch first (a batch the peer already has costs it next to nothing).
   */
  peerUp(): void {
    this.failures = 0;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.persisting;
    this.agent.destroy();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.loadCheckpoint();
        break;
      } catch (e) {
        this.opts.log.warn('shipper cannot read checkpoint', { peer: this.opts.peer, error: (e as Error).message });
        await this.sleep(MAX_BACKOFF_MS);
      }
    }
    // Up to PIPELINE_DEPTH batches are in flight, each declaring the sequence it follows; responses are handled in
    // send order, so the checkpoint only moves forward unless the peer reports less (then it is resent from there).
    // Beyond the first batch in flight only whole batches go: a backlog ships pipelined, while steady traffic
    // gathers in the log during a round trip and goes as one batch (one request, one apply, one fsync for all).
    // After a failure one batch probes the peer until it answers or the health monitor sees it again (peerUp): a
    // peer that is paused or cut off does not get a pile of copies to work through when it comes back.
    const inflight: { run: LogRun; sentAt: number; result: Promise<Outcome> }[] = [];
    let from = this.acked;
    let readFailed = false;
    let lost: MissingRange | null = null;
    while (this.running) {
      const depth = this.opts.dropBatchOnRetry || this.failures > 0 ? 1 : PIPELINE_DEPTH;
      while (inflight.length < depth && !readFailed && !lost) {
        if (inflight.length > 0 && this.opts.logHead() - from < this.opts.batchSize) break;
        let run: LogRun;
        try {
          this.committed = false;
          ({ run, lost } = await this.readLog(from));
        } catch (e) {
          this.opts.log.warn('shipper cannot read log', { peer: this.opts.peer, error: (e as Error).message });
          readFailed = true;
          break;
        }
        if (lost || run.count === 0) break;
        inflight.push({ run, sentAt: performance.now(), result: this.send(run, from) });
        from = run.last;
      }
      if (lost) {
        await Promise.allSettled(inflight.map((b) => b.result));
        inflight.length = 0;
        await this.waitForReseed(lost);
        lost = null;
        from = this.acked;
        continue;
      }
      const head = inflight.shift();
      if (!head) {
        this.oldestPendingTs = null;
        if (readFailed) await this.sleep(this.backoff(++this.failures));
        else await this.sleep(IDLE_POLL_MS, true);
        readFailed = false;
        from = this.acked;
        continue;
      }
      this.oldestPendingTs = head.run.firstTs;
      const out = await head.result;
      const last = head.run.last;
      if (out.kind === 'ok' && out.applied >= last) {
        // drop: this save is lost (as if Redis never got it); the next confirmed batch saves past it.
        const hit = this.opts.failpoints.hit('replicate-before-checkpoint');
        if (hit && (await hit) === 'drop') continue;
        this.confirm(out.applied);
        this.failures = 0;
        if (this.acked > from) from = this.acked;
        continue;
      }
      await Promise.allSettled(inflight.map((b) => b.result));
      inflight.length = 0;
      if (out.applied !== undefined) await this.saveCheckpoint(out.applied).catch(() => undefined);
      if (out.kind !== 'gap') {
        this.failures++;
        if (this.opts.dropBatchOnRetry) await this.saveCheckpoint(last).catch(() => undefined);
        // Counted from the send: a batch that timed out has already waited longer than any backoff.
        await this.sleep(this.backoff(this.failures) - (performance.now() - head.sentAt));
      }
      from = this.acked;
    }
  }

  /**
   * The peer has applied less than this log still holds: it lost state after confirming entries that were then
   * trimmed, or it was wiped. Shipping what follows would leave it without them for good (its gap guard only checks
   * what it has applied), so shipping stops and the peer is asked to re-seed itself from this region's snapshot
   * (propagator/reseed.ts). Its applied mark is polled with empty batches; once the log holds everything after it,
   * shipping resumes from there.
   */
  private async waitForReseed(lost: MissingRange): Promise<void> {
    this.stalled =
      `peer ${this.opts.peer} has applied up to ${this.acked} but entries ${lost.from}..${lost.to} were trimmed ` +
      `from the log; shipping to it has stopped until it is re-seeded (it has been asked to pull a snapshot)`;
    this.opts.log.error('peer needs re-seed: log entries it has not applied were trimmed', {
      peer: this.opts.peer, applied: this.acked, missingFrom: lost.from, missingTo: lost.to,
    });
    while (this.running) {
      // Local commits wake the shipper; a stalled one still polls the peer only every RESEED_POLL_MS.
      const until = Date.now() + RESEED_POLL_MS;
      while (this.running && Date.now() < until) await this.sleep(until - Date.now(), true);
      if (!this.running) return;
      const out = await this.send(null, 0);
      if (out.applied === undefined) continue;
      try {
        if (out.applied !== this.acked) await this.saveCheckpoint(out.applied);
        if ((await this.readLog(this.acked)).lost) {
          await this.requestReseed();
          continue;
        }
      } catch (e) {
        this.opts.log.warn('shipper cannot check a stalled peer', { peer: this.opts.peer, error: (e as Error).message });
        continue;
      }
      this.stalled = null;
      this.opts.log.info('peer re-seeded: shipping resumes', { peer: this.opts.peer, applied: this.acked });
      return;
    }
  }

  /** Asks the peer to pull this region's snapshot (it then raises its applied mark, which the poll above sees). */
  private async requestReseed(): Promise<void> {
    try {
      const res = await peerRequest(this.opts.peerUrl, 'POST', '/internal/reseed', { from: this.opts.origin }, { timeoutMs: this.opts.timeoutMs, secret: this.opts.secret, agent: this.agent });
      if (res.status !== 200) this.opts.log.warn('peer refused to re-seed', { peer: this.opts.peer, status: res.status, body: res.body });
    } catch (e) {
      this.opts.log.debug('re-seed request not delivered', { peer: this.opts.peer, error: (e as Error).message });
    }
  }

  /** Sends a run of entries following `after`, or with `run` null an empty batch (which asks what the peer applied). */
  private async send(run: LogRun | null, after: number): Promise<Outcome> {
    const target = run ? batchTarget(this.opts.origin, run.last) : '/internal/replicate';
    // The drop-batch-on-retry bug also leaves out the contiguity guard, or the receiver would refuse the gap it makes.
    const guard = this.opts.dropBatchOnRetry ? '' : `"after":${after},`;
    const text = Buffer.concat([Buffer.from(`{"origin":${JSON.stringify(this.opts.origin)},${guard}"entries":[`), ...(run?.parts ?? []), BODY_END]);
    try {
      const encoded = encodeBatchBody(text);
      const body = new EncodedJson(encoded.bytes, encoded.encoding);
      const res = await peerRequest(this.opts.peerUrl, 'POST', target, body, { timeoutMs: this.opts.timeoutMs, secret: this.opts.secret, agent: this.agent });
      const reply = res.body as { applied?: unknown; error?: unknown; gap?: unknown } | null;
      if (res.status !== 200 || typeof reply?.applied !== 'number') {
        this.opts.log.warn('peer refused batch', { peer: this.opts.peer, status: res.status, body: res.body });
        return { kind: 'failed' };
      }
      if (reply.gap === true) return { kind: 'gap', applied: reply.applied };
      if (reply.error) {
        this.opts.log.warn('peer applied part of a batch', { peer: this.opts.peer, applied: reply.applied, error: reply.error });
        return { kind: 'failed', applied: reply.applied };
      }
      return { kind: 'ok', applied: reply.applied };
    } catch (e) {
      this.opts.log.debug('batch not delivered', { peer: this.opts.peer, error: (e as Error).message });
      return { kind: 'failed' };
    }
  }

  private async loadCheckpoint(): Promise<void> {
    this.acked = Number((await this.redis.hget(K.checkpoints, this.opts.peer)) ?? 0);
  }

  /**
   * The peer confirmed `seq`: shipping goes on from it at once, and it is saved to Redis without holding up the next
   * batch (one save at a time, each of the latest confirmed sequence). The saved checkpoint only tells a restarted
   * shipper where to resume and the trimmer what it may drop, so a save that lags a little costs a few resent entries.
   */
  private confirm(seq: number): void {
    this.acked = seq;
    if (this.persisting) {
      this.persistAgain = true;
      return;
    }
    this.persisting = (async () => {
      do {
        this.persistAgain = false;
        await this.redis.hset(K.checkpoints, this.opts.peer, String(this.acked)).catch((e: Error) => this.opts.log.warn('cannot save checkpoint', { peer: this.opts.peer, error: e.message }));
      } while (this.persistAgain);
      this.persisting = null;
    })();
  }

  private async saveCheckpoint(seq: number): Promise<void> {
    this.acked = seq;
    await this.redis.hset(K.checkpoints, this.opts.peer, String(seq));
  }

  /** Entries after `from`, and the range of those the log no longer holds (trimmed while the peer needed them). */
  private async readLog(from: number): Promise<{ run: LogRun; lost: MissingRange | null }> {
    // Sent in this order on one connection: every entry up to the head read first is in the log unless trimmed.
    // As Buffers: decoding each entry's items into a string only to encode it again into the body cost more than
    // the rest of shipping it.
    const [head, rows] = await Promise.all([
      this.redis.get(K.head),
      this.redis.xrangeBuffer(K.log, `${from + 1}-0`, '+', 'COUNT', this.opts.batchSize) as unknown as Promise<[Buffer, Buffer[]][]>,
    ]);
    const run: LogRun = { count: 0, first: 0, last: 0, firstTs: 0, parts: [] };
    let bytes = 0;
    for (const [id, fields] of rows) {
      let ts = '';
      let items: Buffer | undefined;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = fields[i].toString('latin1');
        if (name === 'ts') ts = fields[i + 1].toString('latin1');
        else if (name === 'items') items = fields[i + 1];
      }
      if (items === undefined || !/^\d+$/.test(ts)) throw new Error(`log entry ${id.toString('latin1')} is malformed`);
      bytes += items.length;
      // Bounded by size as well as count, so a run of large transactions stays far below the receiver's body limit.
      if (run.count > 0 && bytes > MAX_BATCH_BYTES) break;
      const seq = Number(id.toString('latin1').split('-')[0]);
      run.parts.push(Buffer.from(`${run.count > 0 ? ',' : ''}{"seq":${seq},"ts":${ts},"items":`), items, ENTRY_END);
      if (run.count === 0) {
        run.first = seq;
        run.firstTs = Number(ts);
      }
      run.last = seq;
      run.count++;
    }
    return { run, lost: missingEntries(from, Number(head ?? 0), run.count > 0 ? run.first : undefined) };
  }

  private backoff(failures: number): number {
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(failures - 1, 10));
    return base / 2 + Math.random() * (base / 2);
  }

  /** An idle sleep returns at once if a commit was notified since the log was last read. */
  private sleep(ms: number, idle = false): Promise<void> {
    if (ms <= 0 || (idle && this.committed)) return Promise.resolve();
    this.idle = idle;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.idle = false;
        if (this.wake === done) this.wake = null;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
