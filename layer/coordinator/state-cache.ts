import type { Stored } from '../resolver/index.ts';

export interface CachedState {
  /** The key's change counter when this state was read or written by this node. */
  n: string;
  stored: Stored | undefined;
  /** The state's JSON as Redis holds it ('' when absent), when known: the receiver compares a merge against it. */
  json?: string;
}

/**
 * The last state this node read, committed or applied from a peer per key, so a write (or a replicated entry) for a
 * key it touched recently skips the snapshot round trip and the JSON parse. Only a hint: the commit and the apply
 * still check the change counter (a commit also the Redis epoch, an apply the origin's applied mark), so a stale
 * entry costs one retry with a fresh read, never a lost update. Bounded; the oldest entry goes first.
 */
export class StateCache {
  private readonly entries = new Map<string, CachedState>();

  constructor(private readonly maxEntries = 20_000) {}

  get(key: string): CachedState | undefined {
    return this.entries.get(key);
  }

  set(key: string, state: CachedState): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, state);
  }

  /** Replaces the entry of a key that has one; a key not cached stays out (a bulk apply must not flush the cache). */
  refresh(key: string, state: CachedState): void {
    if (this.entries.has(key)) this.set(key, state);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
