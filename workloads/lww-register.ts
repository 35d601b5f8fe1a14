import type { GenContext, Generator } from '../harness/core/generator.ts';
import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { registerVersionsChecker } from '../checkers/register-versions.ts';
import { sessionGuaranteesChecker } from '../checkers/session-guarantees.ts';
import { convergenceChecker } from '../checkers/convergence.ts';
import { counterPerKey, finalReads, keyNames } from './keys.ts';
import { withoutProbes } from '../checkers/compose.ts';
import { layerChecks } from './layer-checks.ts';

/** Writes that open each key's turn: a pair from two regions, the last two writes the key gets in that turn. */
const WRITES_PER_TURN = 2;
/** With deletes (plain last-writer-wins keys), every third turn's second write is one: a tombstone races a value. */
const DELETE_EVERY = 3;

/** Reads that follow a turn's pair so that the turn's share of reads is `readRatio` (none when it is 0). */
export function readsPerTurn(readRatio: number): number {
  if (readRatio <= 0) return 0;
  return Math.max(1, Math.round((WRITES_PER_TURN * Math.min(readRatio, 0.95)) / (1 - Math.min(readRatio, 0.95))));
}

/** A free client process, picked at random, in another region than `avoid` when one is free. */
function freeProcess(ctx: GenContext, avoid: string | undefined): number | undefined {
  const free = ctx.freeProcesses.filter((p): p is number => typeof p === 'number');
  const elsewhere = free.filter((p) => ctx.regionOf(p) !== avoid);
  const from = elsewhere.length > 0 ? elsewhere : free;
  return from.length === 0 ? undefined : from[Math.floor(ctx.random() * from.length)];
}

/**
 * Keys in turns. A turn writes its key twice, from two regions one right after the other (so both writes fall in
 * one clock step and neither region has heard of the other's yet), then only reads: of the key, or of one of the
 * two keys before it, which nothing writes any more. A tie or merge that leaves the two regions disagreeing about
 * the pair's winner therefore stays visible to every read that follows and to the final reads, where writes
 * arriving at random on a busy key would overwrite it within milliseconds. With `deletes`, every third turn's second
 * write is a delete, so tombstones are merged, replicated and read like values (a delete that always wins, or a
 * tombstone an older write resurrects, shows the same way).
 */
function turns(keys: readonly string[], reads: number, deletes: boolean): Generator {
  const nextValue = counterPerKey();
  let turn = 0;
  let step = 0;
  let lastWriter: string | undefined;
  const self: Generator = {
    op(ctx) {
      const writing = step < WRITES_PER_TURN;
      const process = freeProcess(ctx, writing ? lastWriter : undefined);
      if (process === undefined) return { pending: true, next: self };
      const own = keys[turn % keys.length];
      let key = own;
      const deleting = deletes && writing && step === WRITES_PER_TURN - 1 && turn % DELETE_EVERY === DELETE_EVERY - 1;
      if (writing) lastWriter = ctx.regionOf(process);
      else if (turn > 0 && ctx.random() < 0.5) key = keys[(turn - 1 - Math.floor(ctx.random() * Math.min(turn, 2))) % keys.length];
      step++;
      if (step >= WRITES_PER_TURN + reads) {
        step = 0;
        turn++;
      }
      if (!writing) return { op: { f: 'read', key, value: null, process }, next: self };
      return { op: deleting ? { f: 'delete', key, value: null, process } : { f: 'write', key, value: nextValue(key), process }, next: self };
    },
  };
  return self;
}

/**
 * Last-writer-wins registers on the eventual tier (`lwwreg/`, the lww-register strategy, which has no delete):
 * pairs of blind writes of unique values from two regions, a key at a time, then reads, from clients that stay in
 * their region (see `turns`). Judged by what the tier promises: every read shows the write of the version it reports
 * (the version order is the winning order), session guarantees by version, and convergence of the final reads. Not
 * by linearizability, which the tier does not promise.
 */
export function lwwRegisterWorkload(opts: WorkloadOptions): Workload {
  return turnsWorkload('lww-register', opts, 'lwwreg/', false);
}

/**
 * The same on plain last-writer-wins keys (`lww/`, the default strategy), whose deletes leave tombstones: every third
 * turn races a value and a delete, judged alike (a read of null reports the tombstone's version).
 */
export function lwwWorkload(opts: WorkloadOptions): Workload {
  return turnsWorkload('lww', opts, 'lww/', true);
}

function turnsWorkload(name: string, opts: WorkloadOptions, prefix: string, deletes: boolean): Workload {
  const keys = keyNames(opts.keyPrefix ?? prefix, opts.keyCount ?? 2);
  return {
    name,
    fs: new Set(deletes ? ['read', 'write', 'delete'] : ['read', 'write']),
    generator: turns(keys, readsPerTurn(opts.readRatio ?? 0.5), deletes),
    finalGenerator: finalReads(opts.regions, keys),
    checkers: [withoutProbes(registerVersionsChecker()), withoutProbes(sessionGuaranteesChecker()), convergenceChecker({ regions: opts.regions }), ...layerChecks(opts, keys[0])],
  };
}
