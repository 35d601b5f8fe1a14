import type { Model } from '../../harness/core/model.ts';
import type { SearchOp } from './search-op.ts';

/** What a model is given for one Rift operation: the invoke's f, key and argument. */
export interface OpInput {
  f: string;
  key?: string;
  value: unknown;
}

/**
 * A Model over Rift operations, with the optional knowledge the checker uses to prune and to reject bad input.
 * Output is the completion's `value` (or UNKNOWN for an `info`).
 */
export interface LinearizableModel<S, I extends OpInput = OpInput, O = unknown> extends Model<S, I, O> {
  /** True when step never changes the state for this input: such an op with an unknown output observes nothing and is dropped. */
  isReadOnly?(input: I): boolean;
  /** True when the op, completed with this output, leaves every state it is legal in as it was (a cas that failed). */
  observesOnly?(input: I, output: O): boolean;
  /** A description of what is wrong with this op for this model, or undefined when it is well formed. */
  checkOp?(input: I, output: O | undefined): string | undefined;
  /** False when ops on different keys interact, so the history must not be split per key (default true). */
  readonly partitionByKey?: boolean;
  /**
   * Drops unknown-outcome ops of one partition that provably cannot change the verdict. Each optional op doubles
   * the configurations the search may visit, so under faults (many timeouts) this decides whether a check finishes.
   */
  pruneUnknown?(ops: readonly SearchOp[]): SearchOp[];
  /**
   * True when the op only ever moves the state forward in an order in which canGrowInto answers (kv: an append
   * extends the value). With canGrowInto, lets the search drop a configuration whose state has already passed
   * what a read still to be placed returned, where it would otherwise try every order of the ops before that read.
   */
  grows?(input: I): boolean;
  /** False when no state that ops which grow can lead to from `state` satisfies the read (input, output). */
  canGrowInto?(state: S, input: I, output: O): boolean;
}

/** JSON with object keys sorted, so equal values always give the same text (used to intern values and states). */
export function canonical(v: unknown): string {
  // Numbers and booleans are most values and JSON.stringify is slow for them; the text is the same.
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let text = '[';
    for (let i = 0; i < v.length; i++) text += (i === 0 ? '' : ',') + canonical(v[i]);
    return text + ']';
  }
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
}

/** FNV-1a over UTF-16 code units; only needs to agree for equal strings. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A hash that reads at most ~40 characters (the length, both ends and a stride through the middle), for states
 * that are long strings grown by appends: equal strings still hash equal, and the memo's equality check settles
 * the rare collision, while hashing a new state stays O(1) instead of O(length).
 */
export function hashStringSampled(s: string): number {
  const n = s.length;
  if (n <= 48) return hashString(s);
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  for (let i = n - 24; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = 0; i < 8; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  const stride = Math.floor(n / 9);
  for (let i = stride; i < n - 24; i += stride) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const show = (v: unknown): string => (v === undefined ? '?' : canonical(v));

/** The default op rendering: `write(3)`, `read() → 3`, `cas([1,2]) → false`. */
export function describeOpDefault(input: OpInput, output: unknown, unknownOutput: boolean): string {
  const arg = input.value === null || input.value === undefined ? '' : show(input.value);
  const key = input.key === undefined ? '' : `[${input.key}]`;
  return `${input.f}${key}(${arg})${unknownOutput ? ' → ?' : ' → ' + show(output)}`;
}
