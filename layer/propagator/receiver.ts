import type { Redis } from 'ioredis';
import { merge, type MergeBugs, type Stored } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { APPLY_REMOTE, RAISE_TO, READ_SNAPSHOT } from '../coordinator/scripts.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';
import type { StateCache } from '../coordinator/state-cache.ts';
import { CorruptValueError } from '../store/corrupt.ts';
import type { NodeClock } from '../coordinator/node-clock.ts';
import type { LogEntry } from './batch.ts';
import { MessageDropped, type FailpointName, type Failpoints } from '../failpoints/registry.ts';

export interface ReceiverHooks {
  onApplied: (origin: string, entries: number, merged: Map<string, Stored>) => void;
  onConflict: (key: string, strategy: string) => void;
  onResolution: (seconds: number) => void;
  /** A local key held data the layer did not write; the replicated state replaced it. */
  onCorrupt: (key: string, reason: string) => void;
}

export interface ReceiverOptions {
  failpoints: Failpoints;
  /** Calibration bug: the applied mark is saved in its own step before the entries are written. */
  checkpointBeforeApply: boolean;
  /** Calibration bug: a batch is applied even when it does not follow what was applied (its `after` is ignored). */
  ignoreGap: boolean;
  /** Calibration bug: the apply does not check that no local write changed a key since the snapshot. */
  applyWithoutVersionCheck: boolean;
}

export interface ApplyOutcome {
  applied: number;
  /** The batch did not follow what was applied; nothing of it was applied. */
  gap?: boolean;
  /** Set when an entry could not be applied (e.g. the origin's clock is too far ahead); later entries wait. */
  error?: string;
}

const MAX_ATTEMPTS = 200;

/** One key's local state as an apply sees it: change counter ('' = assumed absent), JSON ('' = none) and state. */
interface LocalState {
  n: string;
  json: string;
  stored: Stored | undefined;
}

/** The local side of an apply: the origin's applied mark as read, and per key its change counter, JSON and state. */
interface LocalStates {
  markRaw: string;
  n: string[];
  json: string[];
  state: (Stored | undefined)[];
}
/** Entries merged and written per Lua call: a whole shipped batch, one fsync for the lot, bounded so a call stays short. */
const RUN_ENTRIES = 4096;
const GAP_WAIT_MS = 500;

/**
 * Applies other regions' log entries in order, one origin at a time, each entry as a unit. The applied mark per
 * origin moves in the same Lua script as the data, so a redelivered entry is recognised and changes nothing.
 */
export class Receiver {
  private readonly appliedMark = new Map<string, number>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Batches waiting for their predecessor to be applied, each checking its own condition when a mark moves. */
  private readonly markWaiters = new Set<() => void>();
  /** Batches being decoded or applied, per origin, with the last sequence each names (see inProgress). */
  private readonly working = new Map<string, Set<{ last: number; done: Promise<unknown> }>>();
  /** Whether an apply assumes that keys it has no state for do not exist (see assumedStates). */
  private assumeAbsent = true;

  constructor(
    private readonly redis: Redis,
    private readonly clock: NodeClock,
    private readonly hooks: ReceiverHooks,
    private readonly opts: ReceiverOptions,
    private readonly mergeBugs: MergeBugs = {},
    /**
   * The coordinator's, shared: states of keys this node wrote or read recently, so an apply can skip the snapshot
   * round trip. The receiver keeps those entries current but adds none: a catch-up of many keys would flush it.
   */
    private readonly cache?: StateCache,
  ) {}

  async load(): Promise<void> {
    const all = await this.redis.hgetall(K.applied);
    for (const [origin, seq] of Object.entries(all)) this.appliedMark.set(origin, Number(seq));
  }

  applied(origin: string): number {
    return this.appliedMark.get(origin) ?? 0;
  }

  /**
   * After a re-seed: the local state now covers `origin`'s log up to `seq`, so its applied mark moves there (never
   * back), in step with the apply loop (the lock), and later entries are applied from there.
   */
  async raiseMark(origin: string, seq: number): Promise<void> {
    const prev = this.locks.get(origin) ?? Promise.resolve();
    const run = prev.then(async () => {
      this.setMark(origin, Number(await RAISE_TO.run(this.redis, [K.applied], [origin, seq])));
    });
    this.locks.set(origin, run.catch(() => undefined));
    await run;
  }

  /**
   * Runs `work`, the decoding and applying of a batch from `origin` that names `last` as its last sequence, and
   * counts it as in progress meanwhile (inProgress).
   */
  track<T>(origin: string, last: number, work: () => Promise<T>): Promise<T> {
    const set = this.working.get(origin) ?? new Set();
    this.working.set(origin, set);
    const item = { last, done: Promise.resolve() as Promise<unknown> };
    set.add(item);
    const done = work().finally(() => set.delete(item));
    item.done = done.catch(() => undefined);
    return done;
  }

  /**
   * Settles once the batches from `origin` in progress that name the same last sequence have (whether applied or
   * not), or null when there are none: a copy of such a batch waits for it rather than decode the same entries
   * again. Not batches reaching further: one of those may be waiting for this very range to be applied.
   */
  inProgress(origin: string, last: number): Promise<unknown> | null {
    const waits = [...(this.working.get(origin) ?? [])].filter((b) => b.last === last).map((b) => b.done);
    return waits.length > 0 ? Promise.all(waits) : null;
  }

  appliedAll(): Record<string, number> {
    return Object.fromEntries(this.appliedMark);
  }

  /**
   * Applies a batch whose entries follow origin sequence `after`. A batch that would leave a gap (its predecessor
   * has not been applied) waits briefly for it, since pipelined batches can arrive out of order, then is refused
   * with the current mark so the sender resends from there. Without `after`, no gap check is made.
   */
  async apply(origin: string, entries: LogEntry[], guard?: number): Promise<ApplyOutcome> {
    await this.at('replicate-before-apply');
    const after = this.opts.ignoreGap ? undefined : guard;
    if (after !== undefined) await this.waitForMark(origin, after, GAP_WAIT_MS);
    const prev = this.locks.get(origin) ?? Promise.resolve();
    const run = prev.then(() =>
      after !== undefined && this.applied(origin) < after
        ? { applied: this.applied(origin), gap: true }
        : this.applySerially(origin, entries),
    );
    this.locks.set(origin, run.catch(() => undefined));
    const out = await run;
    await this.at('replicate-receiver-reply');
    return out;
  }

  /** Resolves as soon as `origin`'s applied mark reaches `seq` (woken by the apply that moves it), or after `ms`. */
  private waitForMark(origin: string, seq: number, ms: number): Promise<void> {
    if (this.applied(origin) >= seq) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.markWaiters.delete(check);
        resolve();
      };
      const check = () => {
        if (this.applied(origin) >= seq) done();
      };
      const timer = setTimeout(done, ms);
      this.markWaiters.add(check);
    });
  }

  private setMark(origin: string, seq: number): void {
    if (seq <= this.applied(origin)) return;
    this.appliedMark.set(origin, seq);
    for (const check of [...this.markWaiters]) check();
  }

  private async at(point: FailpointName): Promise<void> {
    const hit = this.opts.failpoints.hit(point);
    if (hit && (await hit) === 'drop') throw new MessageDropped(point);
  }

  private async applySerially(origin: string, entries: LogEntry[]): Promise<ApplyOutcome> {
    let pending = entries.filter((e) => e.seq > this.applied(origin));
    while (pending.length > 0) {
      const run = pending.slice(0, RUN_ENTRIES);
      const outcome = await this.applyRun(origin, run);
      if (outcome.error) return { applied: this.applied(origin), error: outcome.error };
      pending = pending.slice(run.length).filter((e) => e.seq > this.applied(origin));
    }
    return { applied: this.applied(origin) };
  }

  /**
   * Merges a run of entries into one snapshot of their keys and writes the result in one Lua call. Entries are
   * applied whole or not at all; an entry whose clock is too far ahead ends the run before it.
   *
   * The snapshot is assumed rather than read when it can be (assumedStates): a key's cached state, or, for a key
   * not cached, that the key does not exist (a catch-up mostly brings keys this region has not seen). The apply
   * checks every assumption (the applied mark, each key's change counter, or that an assumed-absent key is absent)
   * and writes nothing if one fails; it then returns the current state of every key that was not as assumed, and
   * the retry merges into those. So a snapshot costs a round trip only when assumptions keep failing.
   */
  private async applyRun(origin: string, run: LogEntry[]): Promise<{ error?: string }> {
    const keys = [...new Set(run.flatMap((e) => e.items.map((i) => i.key)))];
    let found = new Map<string, LocalState>();
    // The two apply bugs keep the snapshots they were calibrated with: apply-without-version-check always reads;
    // checkpoint-before-apply starts from the cache when every key is cached and reads after a lost race.
    let assume = !this.opts.applyWithoutVersionCheck;
    const bugged = this.opts.checkpointBeforeApply;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const assumed = assume && (!bugged || attempt === 0) ? this.assumedStates(origin, keys, found, !bugged) : null;
      const local = assumed ?? (await this.readStates(origin, keys));
      const mark = Number(local.markRaw);
      const todo = run.filter((e) => e.seq > mark);
      if (todo.length === 0) return {};
      const started = process.hrtime.bigint();
      const state = new Map<string, Stored | undefined>(keys.map((k, i) => [k, local.state[i]]));
      const conflicts: [string, string][] = [];
      let last = mark;
      let count = 0;
      let error: string | undefined;
      for (const entry of todo) {
        try {
          for (const it of entry.items) this.clock.observe(it.stored.version.hlc);
        } catch (e) {
          error = (e as Error).message;
          break;
        }
        for (const it of entry.items) {
          const m = merge(state.get(it.key), it.stored, this.mergeBugs);
          if (m.conflict) conflicts.push([it.key, m.stored.strategy]);
          state.set(it.key, m.stored);
        }
        last = entry.seq;
        count++;
      }
      if (last === mark) return { error };
      const merged = new Map<string, Stored>();
      const write: string[] = [];
      const json: string[] = [];
      keys.forEach((key, i) => {
        const next = state.get(key);
        const nextJson = next ? JSON.stringify(next) : '';
        const changed = next !== undefined && nextJson !== local.json[i];
        write.push(changed ? '1' : '0');
        json.push(changed ? nextJson : '');
        if (changed) merged.set(key, next);
      });
      this.hooks.onResolution(Number(process.hrtime.bigint() - started) / 1e9);
      let expectedMark = local.markRaw;
      if (this.opts.checkpointBeforeApply) {
        await this.redis.hset(K.applied, origin, String(last));
        expectedMark = String(last);
      }
      const hit = this.opts.failpoints.hit('replicate-before-write');
      if (hit && (await hit) === 'drop') throw new MessageDropped('replicate-before-write');
      const checked = !this.opts.applyWithoutVersionCheck;
      const res = (await APPLY_REMOTE.run(
        this.redis,
        [K.applied, ...keys.map(K.kv)],
        [origin, expectedMark, last, keys.length, ...local.n, ...write, ...json, checked ? '1' : '0'],
      )) as (number | string)[];
      if (res[0] === 2) {
        // The mark in Redis is not the one assumed (it can only be lower if Redis lost data): read it.
        assume = false;
        continue;
      }
      if (res[0] === 0) {
        found = this.statesFound(keys, local.n, res, found);
        continue;
      }
      this.setMark(origin, last);
      keys.forEach((key, i) => {
        if (write[i] !== '1') return;
        // A checked apply set the counter it checked plus one; an unchecked one (the bug) bumped whatever was there.
        if (checked) this.cache?.refresh(key, { n: String(Number(local.n[i] || '0') + 1), stored: merged.get(key), json: json[i] });
        else this.cache?.invalidate(key);
      });
      for (const [key, strategy] of conflicts) this.hooks.onConflict(key, strategy);
      this.hooks.onApplied(origin, count, merged);
      return { error };
    }
    throw new Error(`could not apply entries from ${origin} after seq ${this.applied(origin)}: lost ${MAX_ATTEMPTS} races with local writes`);
  }

  /**
   * The snapshot an apply may assume without reading: per key the state Redis returned when an assumption about it
   * failed (`found`), else its cached state, else (if `absentOk`, and only while assuming absence pays off, see
   * assumeAbsent) that the key does not exist, expected counter ''. Null when some key is none of these: read it.
   */
  private assumedStates(origin: string, keys: string[], found: Map<string, LocalState>, absentOk: boolean): LocalStates | null {
    const n: string[] = [];
    const json: string[] = [];
    const state: (Stored | undefined)[] = [];
    for (const key of keys) {
      const f = found.get(key);
      const c = f ?? this.cache?.get(key);
      if (c?.json !== undefined) {
        n.push(c.n);
        json.push(c.json);
        state.push(c.stored);
        continue;
      }
      if (!absentOk || !this.assumeAbsent) return null;
      n.push('');
      json.push('');
      state.push(undefined);
    }
    return { markRaw: String(this.applied(origin)), n, json, state };
  }

  /**
   * The states an apply that failed its checks returned ([0, index, n, json, ...]), added to those found before.
   * Assuming absence stops paying off when most keys assumed absent exist (a region catching up on keys it has,
   * e.g. after a restart emptied the cache); reads then take over until they show mostly absent keys again.
   */
  private statesFound(keys: string[], assumed: string[], res: (number | string)[], before: Map<string, LocalState>): Map<string, LocalState> {
    const found = new Map(before);
    let existed = 0;
    for (let j = 1; j + 2 < res.length; j += 3) {
      const i = Number(res[j]) - 1;
      const json = String(res[j + 2]);
      if (assumed[i] === '') existed++;
      const s = this.decodeLocal(keys[i], json);
      found.set(keys[i], { n: String(res[j + 1]), stored: s ?? undefined, json });
    }
    if (existed * 2 > assumed.filter((n) => n === '').length) this.assumeAbsent = false;
    return found;
  }

  private async readStates(origin: string, keys: string[]): Promise<LocalStates> {
    const raw = (await READ_SNAPSHOT.run(this.redis, [K.applied, ...keys.map(K.kv)], [origin])) as (string | number)[];
    const markRaw = String(raw[0]);
    this.setMark(origin, Number(markRaw));
    const n = keys.map((_, i) => String(raw[1 + 2 * i]));
    const json = keys.map((_, i) => String(raw[2 + 2 * i]));
    let uncached = 0;
    let absent = 0;
    const state = keys.map((key, i) => {
      if (this.cache?.get(key) === undefined) {
        uncached++;
        if (json[i] === '') absent++;
      }
      const s = this.decodeLocal(key, json[i]);
      // Not a key holding foreign data: a local write must still meet it (and answer 500 corrupt).
      if (s !== null && !this.opts.applyWithoutVersionCheck) this.cache?.refresh(key, { n: n[i], stored: s, json: json[i] });
      return s ?? undefined;
    });
    if (uncached > 0 && absent * 2 > uncached) this.assumeAbsent = true;
    return { markRaw, n, json, state };
  }

  /**
   * A local state the layer did not write cannot be merged; the peer's state replaces it (reported through
   * onCorrupt, and null here), rather than stop all replication from that origin at this key.
   */
  private decodeLocal(key: string, json: string): Stored | undefined | null {
    try {
      return decodeStored(json, key);
    } catch (e) {
      if (!(e instanceof CorruptValueError)) throw e;
      this.hooks.onCorrupt(key, e.message);
      return null;
    }
  }
}
