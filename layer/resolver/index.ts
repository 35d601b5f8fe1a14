/**
 * The conflict resolver the layer node calls. A key's Stored value is a state-based CRDT: writes move it
 * up (applyLocal), replication ships it whole, and merge is a deterministic join, so every region that
 * has received the same writes holds byte-identical JSON whatever the order or duplication of delivery.
 *
 * Two notions of conflict:
 * - merge() returns conflict=true when the two sides' vector clocks are concurrent: writes happened
 *   without seeing each other, whatever the strategy, even when the strategy resolves them silently.
 * - Stored.conflict (present only when true) says the current value does not account for every write:
 *   an LWW/lww-register winner that did not see some other write, a write-once key with a refused
 *   concurrent write, an mv-register/siblings key with more than one surviving write, a map with such
 *   a field or with one field name created with two types. It is a function of the state alone, so it
 *   converges too, and a later write that has seen everything clears it.
 */
import { assertRegionName } from '../clock/region.ts';
import { maxVersion, parseVersion } from '../clock/version.ts';
import { parseVClock, vcCompare, vcMerge } from '../clock/vclock.ts';
import { asRecord, present } from './parse-helpers.ts';
import { crdtFor } from './registry.ts';
import { isStrategy, type Ctx, type LocalOp, type ReadResult, type Strategy, type Stored } from './types.ts';
import { copyVersion } from './winner.ts';
import { buggyMerge, type MergeBugs } from './merge-bugs.ts';

export { STRATEGIES, isStrategy, type Ctx, type LocalOp, type ReadResult, type Strategy, type Stored } from './types.ts';
export type { MergeBugs } from './merge-bugs.ts';
export { orSetEffect } from './or-set.ts';
export { strategyForKey, DEFAULT_STRATEGY_RULES, type StrategyRule } from './key-strategy.ts';

export class StrategyMismatchError extends Error {
  constructor(a: Strategy, b: Strategy) {
    super(`cannot merge a ${a} state with a ${b} state of the same key: regions disagree on the key's strategy (check the strategy rules in every node's config)`);
    this.name = 'StrategyMismatchError';
  }
}

function stored(strategy: Strategy, state: unknown, s: Pick<Stored, 'vclock' | 'version'>): Stored {
  const out: Stored = { strategy, state, vclock: s.vclock, version: copyVersion(s.version) };
  if (crdtFor(strategy).conflicted(state)) out.conflict = true;
  return out;
}

/**
 * Applies a client write to the local state. Never throws for a bad operand (non-JSON value, fractional
 * delta): that comes back as 'rejected' with the reason. `ctx.vclock` should already include the new
 * write (vcIncrement of the current clock) and `ctx.version` come from the node's HLC.
 */
export function applyLocal(strategy: Strategy, current: Stored | undefined, op: LocalOp, ctx: Ctx):
  { ok: true; stored: Stored } | { ok: false; error: 'wrong-type' | 'rejected'; message: string } {
  assertRegionName(ctx.region, 'applyLocal: ctx.region');
  if (current && current.strategy !== strategy) {
    return { ok: false, error: 'wrong-type', message: `key holds a ${current.strategy} value, not a ${strategy}` };
  }
  let r;
  try {
    r = crdtFor(strategy).apply(current?.state, op, ctx);
  } catch (e) {
    if (e instanceof TypeError) return { ok: false, error: 'rejected', message: e.message };
    throw e;
  }
  if (!r.ok) return r;
  const version = current ? maxVersion(current.version, ctx.version) : ctx.version;
  return { ok: true, stored: stored(strategy, r.state, { vclock: vcMerge(current?.vclock ?? {}, ctx.vclock), version }) };
}

/**
 * Joins two states of the same key (`bugs`: calibration mistakes, see merge-bugs.ts). Throws StrategyMismatchError if they use different strategies:
 * that is a configuration error and no choice between them would be a join.
 */
export function merge(a: Stored | undefined, b: Stored, bugs: MergeBugs = {}): { stored: Stored; conflict: boolean } {
  if (!a) return { stored: stored(b.strategy, b.state, b), conflict: false };
  if (a.strategy !== b.strategy) throw new StrategyMismatchError(a.strategy, b.strategy);
  const state = (buggyMerge(a.strategy, bugs) ?? crdtFor(a.strategy).merge)(a.state as never, b.state as never);
  return {
    stored: stored(a.strategy, state, { vclock: vcMerge(a.vclock, b.vclock), version: maxVersion(a.version, b.version) }),
    conflict: vcCompare(a.vclock, b.vclock) === 'concurrent',
  };
}

export function read(s: Stored | undefined): ReadResult {
  return s ? crdtFor(s.strategy).read(s.state) : { value: null };
}

/** Validates a Stored from Redis or a peer, state included; throws a TypeError naming the bad field. */
export function parseStored(x: unknown, where: string): Stored {
  const r = asRecord(x, where);
  const strategy = present(r, 'strategy', where);
  if (!isStrategy(strategy)) throw new TypeError(`${where}.strategy: unknown strategy ${JSON.stringify(strategy)}`);
  const state = crdtFor(strategy).parse(present(r, 'state', where), `${where}.state`);
  return stored(strategy, state, {
    vclock: parseVClock(present(r, 'vclock', where), `${where}.vclock`),
    version: parseVersion(present(r, 'version', where), `${where}.version`),
  });
}
