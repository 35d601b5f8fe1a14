import type { Redis } from 'ioredis';
import { merge, type Stored } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { APPLY_REMOTE, READ_SNAPSHOT } from '../coordinator/scripts.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';
import type { NodeClock } from '../coordinator/node-clock.ts';
import type { LogEntry } from './batch.ts';

export interface ReceiverHooks {
  onApplied: (origin: string, seq: number, merged: Map<string, Stored>) => void;
  onConflict: (key: string, strategy: string) => void;
  onResolution: (seconds: number) => void;
}

export interface ApplyOutcome {
  applied: number;
  /** Set when an entry could not be applied (e.g. the origin's clock is too far ahead); later entries wait. */
  error?: string;
}

const MAX_ATTEMPTS = 200;

/**
 * Applies other regions' log entries in order, one origin at a time, each entry as a unit. The applied mark per
 * origin moves in the same Lua script as the data, so a redelivered entry is recognised and changes nothing.
 */
export class Receiver {
  private readonly appliedMark = new Map<string, number>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    private readonly clock: NodeClock,
    private readonly hooks: ReceiverHooks,
  ) {}

  async load(): Promise<void> {
    const all = await this.redis.hgetall(K.applied);
    for (const [origin, seq] of Object.entries(all)) this.appliedMark.set(origin, Number(seq));
  }

  applied(origin: string): number {
    return this.appliedMark.get(origin) ?? 0;
  }

  appliedAll(): Record<string, number> {
    return Object.fromEntries(this.appliedMark);
  }

  apply(origin: string, entries: LogEntry[]): Promise<ApplyOutcome> {
    const prev = this.locks.get(origin) ?? Promise.resolve();
    const run = prev.then(() => this.applySerially(origin, entries));
    this.locks.set(origin, run.catch(() => undefined));
    return run;
  }

  private async applySerially(origin: string, entries: LogEntry[]): Promise<ApplyOutcome> {
    for (const entry of entries) {
      if (entry.seq <= this.applied(origin)) continue;
      try {
        for (const it of entry.items) this.clock.observe(it.stored.version.hlc);
      } catch (e) {
        return { applied: this.applied(origin), error: (e as Error).message };
      }
      await this.applyEntry(origin, entry);
    }
    return { applied: this.applied(origin) };
  }

  private async applyEntry(origin: string, entry: LogEntry): Promise<void> {
    const keys = [...new Set(entry.items.map((i) => i.key))];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = (await READ_SNAPSHOT.run(this.redis, [K.dot, ...keys.map(K.kv)], ['0'])) as (string | number)[];
      const started = process.hrtime.bigint();
      const merged = new Map<string, Stored>();
      const expected: string[] = [];
      const write: string[] = [];
      const json: string[] = [];
      const conflicts: [string, string][] = [];
      keys.forEach((key, i) => {
        expected.push(String(raw[1 + 2 * i]));
        const currentJson = String(raw[2 + 2 * i]);
        let state = decodeStored(currentJson);
        for (const it of entry.items) {
          if (it.key !== key) continue;
          const m = merge(state, it.stored);
          if (m.conflict) conflicts.push([key, m.stored.strategy]);
          state = m.stored;
        }
        const next = JSON.stringify(state);
        const changed = next !== currentJson;
        write.push(changed ? '1' : '0');
        json.push(changed ? next : '');
        if (changed && state) merged.set(key, state);
      });
      this.hooks.onResolution(Number(process.hrtime.bigint() - started) / 1e9);
      const res = (await APPLY_REMOTE.run(
        this.redis,
        [K.applied, ...keys.map(K.kv)],
        [origin, entry.seq, keys.length, ...expected, ...write, ...json],
      )) as [number, number];
      if (res[0] === 0) continue;
      this.appliedMark.set(origin, Math.max(this.applied(origin), res[1]));
      if (res[0] === 1) {
        for (const [key, strategy] of conflicts) this.hooks.onConflict(key, strategy);
        this.hooks.onApplied(origin, entry.seq, merged);
      }
      return;
    }
    throw new Error(`could not apply entry ${origin}#${entry.seq}: lost ${MAX_ATTEMPTS} races with local writes`);
  }
}
