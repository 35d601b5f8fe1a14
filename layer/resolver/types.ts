/**
 * The resolver's vocabulary, shared by the per-strategy modules and re-exported by index.ts (the
 * interface the layer node calls). Every state here is plain JSON because it is stored in Redis and
 * shipped whole between regions.
 */
import type { Version } from '../clock/version.ts';
import type { VClock } from '../clock/vclock.ts';

export const STRATEGIES = ['lww', 'pn-counter', 'or-set', 'lww-register', 'mv-register', 'map', 'siblings', 'reject'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export function isStrategy(x: unknown): x is Strategy {
  return typeof x === 'string' && (STRATEGIES as readonly string[]).includes(x);
}

/** The replicated state of one key: state-based, so replication ships whole Stored values and merge is a join. */
export interface Stored {
  strategy: Strategy;
  state: unknown;
  vclock: VClock;
  version: Version;
  conflict?: boolean;
}

export type LocalOp =
  | { op: 'put'; value: unknown }
  | { op: 'delete' }
  | { op: 'incr'; delta: number }
  | { op: 'add'; element: unknown }
  | { op: 'remove'; element: unknown }
  | { op: 'map-update'; field: string; inner: LocalOp; innerStrategy: Strategy };

/** The new write's version and clock. */
export interface Ctx {
  region: string;
  version: Version;
  vclock: VClock;
}

export type ApplyError = { ok: false; error: 'wrong-type' | 'rejected'; message: string };
export type ApplyResult<S> = { ok: true; state: S } | ApplyError;

export interface ReadResult {
  value: unknown;
  siblings?: unknown[];
  /**
   * The version of the write whose value this is, when that is not the key's highest version: a write-once key keeps
   * its earliest write, and a read answers that write's version, not the latest one the key has merged.
   */
  version?: Version;
}

/**
 * One conflict-resolution strategy. `merge` must be a join (commutative, associative, idempotent) and
 * deterministic, and `apply` must only move a state up in that order, so regions that have seen the
 * same writes hold byte-identical states whatever the delivery order.
 */
export interface Crdt<S> {
  readonly strategy: Strategy;
  apply(state: S | undefined, op: LocalOp, ctx: Ctx): ApplyResult<S>;
  merge(a: S, b: S): S;
  read(state: S): ReadResult;
  /** True when the state holds writes that the value shown does not account for (the two notions of conflict are described in index.ts). */
  conflicted(state: S): boolean;
  /** Validates untrusted JSON (Redis, a peer) into a canonical state; throws naming `where`. */
  parse(x: unknown, where: string): S;
}

export function wrongType(strategy: Strategy, op: LocalOp): ApplyError {
  return { ok: false, error: 'wrong-type', message: `operation '${op.op}' does not apply to a ${strategy} key` };
}

export function rejected(message: string): ApplyError {
  return { ok: false, error: 'rejected', message };
}
