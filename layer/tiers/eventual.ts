import { applyLocal, orSetEffect, read, strategyForKey, type LocalOp, type Stored, type StrategyRule } from '../resolver/index.ts';
import type { OrSetState } from '../resolver/or-set.ts';
import { versionToken } from '../clock/version.ts';
import type { Coordinator, Snapshot } from '../coordinator/coordinator.ts';
import { HttpError, wrongType } from '../http/errors.ts';
import { canonicalJson } from '../resolver/canonical-json.ts';
import { covers, decodeSession, encodeSession, mergeSession, type SessionVector } from './session.ts';
import { HotCache } from './hot-cache.ts';
import { tierOf } from '../router/key-class.ts';

export interface EventualDeps {
  region: string;
  coordinator: Coordinator;
  strategies: readonly StrategyRule[];
  hotStalenessMs: number;
  /** What this region has: own log head and the applied mark per origin. */
  progress: () => SessionVector;
  isDegraded: () => boolean;
  isMarked: (key: string) => boolean;
  mark: (key: string) => Promise<void>;
  onWrite: (seconds: number) => void;
  /** Calibration bugs session-read-no-wait / session-write-no-wait: serve the request without waiting for the session. */
  skipSessionWait?: { read: boolean; write: boolean };
  /** Calibration bug hot-cache-kept-on-write: a local write leaves the key's cached entry in place. */
  keepHotCacheOnWrite?: boolean;
}

/** How long a read waits for replication to reach the client's session before giving up (503, no effect). */
const SESSION_WAIT_MS = 2_000;

export interface ReadReply {
  key: string;
  value: unknown;
  version: string | null;
  vclock?: Record<string, number>;
  siblings?: unknown[];
  conflict?: boolean;
  session: string;
}

/**
 * Normal and hot keys: multi-master, eventually consistent. Writes go through the coordinator (atomic, logged,
 * replicated); sessions give read-your-writes and monotonic reads; hot keys read through a bounded-staleness cache.
 */
export class EventualTier {
  readonly cache: HotCache<{ stored: Stored | undefined; progress: SessionVector }>;

  constructor(private readonly d: EventualDeps) {
    this.cache = new HotCache(d.hotStalenessMs);
  }

  strategyOf(key: string) {
    return strategyForKey(key, this.d.strategies);
  }

  async get(key: string, sessionToken: string | undefined): Promise<ReadReply> {
    const need = decodeSession(sessionToken);
    if (tierOf(key) === 'hot') {
      const hit = this.cache.get(key);
      if (hit) return this.reply(key, hit.stored, mergeSession(need, hit.progress));
    } else if (!this.d.skipSessionWait?.read) {
      await this.waitFor(need);
    }
    const load = async () => {
      const [snap] = await this.d.coordinator.snapshot([key]);
      // Taken after the read: the state read reflects at most this much, so a later read elsewhere that waits
      // for this vector cannot go back in time.
      return { stored: snap.stored, progress: this.d.progress() };
    };
    const { stored, progress } = tierOf(key) === 'hot' ? await this.cache.load(key, load) : await load();
    return this.reply(key, stored, mergeSession(need, progress));
  }

  /** Applies one CRDT operation; returns the write reply. */
  async write(key: string, op: LocalOp, sessionToken: string | undefined): Promise<Record<string, unknown>> {
    const need = decodeSession(sessionToken);
    // Monotonic writes and writes-follow-reads: the write must come after (in version order too) everything the
    // session has seen, so this region first applies all of it; its HLC has then passed those versions.
    if (tierOf(key) !== 'hot' && !this.d.skipSessionWait?.write) await this.waitFor(need);
    const strategy = this.strategyOf(key);
    const started = performance.now();
    const c = await this.d.coordinator.transact([key], ([snap], version) => {
      const r = applyLocal(strategy, snap.stored, op, this.d.coordinator.ctx(version, snap.stored));
      if (!r.ok) throw r.error === 'wrong-type' ? wrongType(r.message) : new HttpError(422, 'rejected', r.message);
      const orset = (op.op === 'add' || op.op === 'remove') && strategy === 'or-set'
        ? orSetEffect(snap.stored?.state as OrSetState | undefined, r.stored.state as OrSetState, op.element)
        : undefined;
      return { writes: new Map([[key, r.stored]]), result: { stored: r.stored, orset } };
    });
    if (!this.d.keepHotCacheOnWrite) this.cache.invalidate(key);
    this.d.onWrite((performance.now() - started) / 1000);
    if (this.d.isDegraded()) await this.d.mark(key);
    const session = c.seq === null ? need : mergeSession(need, { [this.d.region]: c.seq });
    return {
      ok: true,
      version: versionToken(c.version),
      vclock: c.result.stored.vclock,
      dot: [this.d.region, c.version.seq],
      ...(c.result.orset ? { orset: c.result.orset } : {}),
      session: encodeSession(session),
      ...(this.d.isDegraded() ? { conflictMarker: true } : {}),
    };
  }

  /** Compare-and-set on a register key: writes `value` only if the current value equals `expected`. */
  async cas(key: string, expected: unknown, value: unknown, sessionToken: string | undefined): Promise<Record<string, unknown>> {
    const strategy = this.strategyOf(key);
    if (strategy !== 'lww' && strategy !== 'lww-register') throw wrongType(`cas needs a register key; ${JSON.stringify(key)} is a ${strategy} key`);
    const need = decodeSession(sessionToken);
    await this.waitFor(need);
    const started = performance.now();
    const c = await this.d.coordinator.transact([key], ([snap]: Snapshot[], version) => {
      const current = read(snap.stored).value;
      if (canonicalJson(current) !== canonicalJson(expected)) return { writes: new Map(), result: { ok: false, stored: snap.stored } };
      const r = applyLocal(strategy, snap.stored, { op: 'put', value }, this.d.coordinator.ctx(version, snap.stored));
      if (!r.ok) throw new HttpError(422, r.error, r.message);
      return { writes: new Map([[key, r.stored]]), result: { ok: true, stored: r.stored as Stored | undefined } };
    });
    this.cache.invalidate(key);
    if (c.result.ok) {
      this.d.onWrite((performance.now() - started) / 1000);
      if (this.d.isDegraded()) await this.d.mark(key);
    }
    const session = c.seq === null ? mergeSession(need, this.d.progress()) : mergeSession(need, { [this.d.region]: c.seq });
    const stored = c.result.stored;
    return {
      ok: c.result.ok,
      value: read(stored).value,
      version: stored ? versionToken(stored.version) : null,
      ...(c.result.ok ? { dot: [this.d.region, c.version.seq] } : {}),
      session: encodeSession(session),
    };
  }

  private async waitFor(need: SessionVector): Promise<void> {
    const deadline = performance.now() + SESSION_WAIT_MS;
    while (!covers(this.d.progress(), need)) {
      if (performance.now() > deadline) {
        throw new HttpError(
          503,
          'session-unavailable',
          `region ${this.d.region} has not yet received writes this session has seen (${JSON.stringify(need)}); retry or use another region`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private reply(key: string, stored: Stored | undefined, session: SessionVector): ReadReply {
    const r = read(stored);
    const out: ReadReply = { key, value: r.value, version: stored ? versionToken(r.version ?? stored.version) : null, session: encodeSession(session) };
    if (stored) out.vclock = { ...stored.vclock };
    if (r.siblings) out.siblings = r.siblings;
    if (stored?.conflict || this.d.isMarked(key)) out.conflict = true;
    return out;
  }
}
