import { ByteBudget } from './cache.ts';
import { partitionResult, type PartitionResult } from './explain.ts';
import type { LinearizableModel } from './model.ts';
import type { Partition } from './prepare.ts';
import { WglSearch, type SearchLimits } from './wgl.ts';

/** What a partition check needs besides the model; structured-clonable so a worker thread can take it. */
export interface JobLimits {
  deadline: number;
  maxCacheEntries: number;
  maxCacheBytes: number;
  symmetry: boolean;
  witness: boolean;
  /** Run the explorer (explore.ts) on each bad partition. */
  explore: boolean;
}

/**
 * Control words shared by every thread of one check: [0] stop (1 a partition is illegal, 2 aborted),
 * [1] the next partition index to claim. Threads claim partitions with an atomic add, so work spreads
 * across threads without messages, and a busy thread still sees a stop.
 */
export const STOP = 0;
export const NEXT = 1;
export const newControl = (): Int32Array => new Int32Array(new SharedArrayBuffer(8));

/** Partitions one thread keeps in progress at once, and the steps each gets per turn. */
const ACTIVE = 8;
const SLICE = 1 << 9;

/** How often (ms) a draining thread offers to yield, so the main thread still sees timers, aborts and worker replies. */
const YIELD_EVERY_MS = 10;

/**
 * Claims partitions and searches them, several at a time in turns, so that an illegal partition found quickly
 * stops the others instead of waiting behind a long valid one. Reports each result as it is decided.
 * It is a generator that pauses about every 10 ms: the caller may give the event loop a turn there.
 */
export function* drain<S>(
  model: LinearizableModel<S>,
  parts: readonly Partition[],
  ctl: Int32Array,
  limits: JobLimits,
  onResult: (index: number, result: PartitionResult) => void,
  signal?: AbortSignal,
): Generator<void, void, void> {
  let lastYield = performance.now();
  let turnsSinceClaim = 0;
  const active: { index: number; search: WglSearch<S> }[] = [];
  // One memory budget for all the searches this thread keeps in progress, so interleaving does not multiply it.
  // A literal, not a spread: the searches read it, and a spread object has a hidden class of its own.
  const searchLimits: SearchLimits = {
    deadline: limits.deadline,
    maxCacheEntries: limits.maxCacheEntries,
    maxCacheBytes: limits.maxCacheBytes,
    budget: new ByteBudget(limits.maxCacheBytes),
    stop: ctl,
    signal,
    symmetry: limits.symmetry,
  };
  for (;;) {
    // A thread takes another partition when it has none, or when the ones it has have run for a while
    // (a turn for a second one, two for a third, four for a fourth, ...): unclaimed partitions stay available to
    // threads that free up, which balances the load, yet a long partition keeps an easy illegal one waiting only
    // a turn (on Porcupine's c50-bad kv file, the illegal key takes 134 steps, its larger neighbour thousands).
    const wantMore = active.length === 0 || (active.length < ACTIVE && turnsSinceClaim >= 1 << (active.length - 1));
    if (wantMore && Atomics.load(ctl, STOP) === 0 && (limits.deadline === Infinity || Date.now() <= limits.deadline)) {
      const index = Atomics.add(ctl, NEXT, 1);
      if (index < parts.length) active.push({ index, search: new WglSearch(model, parts[index].ops, searchLimits) });
      turnsSinceClaim = 0;
    }
    if (active.length === 0) return;
    turnsSinceClaim++;
    for (let j = 0; j < active.length; ) {
      const { index, search } = active[j];
      const out = search.advance(SLICE);
      if (!out) {
        j++;
        continue;
      }
      onResult(index, partitionResult(model, parts[index].key, out, limits));
      active.splice(j, 1);
    }
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      yield;
      lastYield = performance.now();
    }
  }
}
