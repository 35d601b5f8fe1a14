import { UNKNOWN } from '../../harness/core/model.ts';
import { describeOpDefault, type LinearizableModel } from './model.ts';
import type { SearchOp } from './search-op.ts';
import type { SearchOutcome, SearchStats, StopReason } from './wgl.ts';
import { explorePartition, type Explorer } from './explore.ts';

/** One operation as a person reads it: where it is in the history and what it did. */
export interface OpRef {
  line: number;
  completeLine?: number;
  op: string;
}

export interface PrefixStep extends OpRef {
  /** Model state after this op took effect. */
  state: string;
}

/** Why one partition is not linearizable. */
export interface Counterexample {
  key: string;
  /** The end of the longest order of ops the search could linearize, each with the state it left. */
  longestPrefix: PrefixStep[];
  /** Length of that whole order; longestPrefix keeps only its last steps. */
  prefixLength: number;
  /** An ok op that no extension of the prefixes could place before its return. */
  cannotPlace: OpRef;
  /** States the search was in when it had to place that op and could not (at most 8). */
  statesReached: string[];
  message: string;
  /** For a small key: per op, the longest partial linearization found that includes it (explore.ts). */
  explorer?: Explorer;
}

export interface PartitionResult {
  valid: true | false | 'unknown';
  reason?: StopReason | string;
  ops: number;
  stats: SearchStats;
  counterexample?: Counterexample;
  /** For a valid partition: invoke lines in a linearization order (unknown-outcome ops that took effect included). */
  witness?: number[];
}

export function describeState<S>(model: LinearizableModel<S>, s: S): string {
  return model.describeState ? model.describeState(s) : JSON.stringify(s) ?? String(s);
}

function describeOp<S>(model: LinearizableModel<S>, op: SearchOp): string {
  if (model.describeOp) return model.describeOp(op.input, op.unknown ? UNKNOWN : op.output);
  return describeOpDefault(op.input, op.output, op.unknown);
}

const ref = <S>(model: LinearizableModel<S>, op: SearchOp): OpRef =>
  op.completeLine === undefined ? { line: op.line, op: describeOp(model, op) } : { line: op.line, completeLine: op.completeLine, op: describeOp(model, op) };

/**
 * Replays a sequence of ops from the initial state and describes the last `keep` of them with the state each
 * left: the witness any reader can verify. Only the described steps pay for their text.
 */
export function replay<S>(model: LinearizableModel<S>, ops: readonly SearchOp[], order: readonly number[], keep = order.length): PrefixStep[] {
  let s = model.init();
  const out: PrefixStep[] = [];
  order.forEach((i, at) => {
    const op = ops[i];
    s = model.step(s, op.input, op.unknown ? UNKNOWN : op.output).next;
    if (at < order.length - keep) return;
    // Built as literals (object spread gives every object its own hidden class in this V8).
    const text = describeOp(model, op);
    const state = describeState(model, s);
    out.push(op.completeLine === undefined ? { line: op.line, op: text, state } : { line: op.line, completeLine: op.completeLine, op: text, state });
  });
  return out;
}

/** Keeps the last steps of a long prefix: the part next to the failure is what explains it. */
const MAX_PREFIX = 50;

export function partitionResult<S>(
  model: LinearizableModel<S>, key: string, out: SearchOutcome<S>, { witness, explore }: { witness: boolean; explore: boolean },
): PartitionResult {
  // Literals rather than spreads of shared fields: a spread object gets a hidden class of its own, and the caller
  // reads every partition's result.
  const stats = out.stats;
  const ops = stats.ops;
  if (out.valid === true) {
    return witness ? { valid: true, ops, stats, witness: out.witness.map((i) => out.ops[i].line) } : { valid: true, ops, stats };
  }
  if (out.valid === 'unknown') return { valid: 'unknown', reason: out.reason, ops, stats };
  const prefixLength = out.longestPrefix.length;
  const shown = replay(model, out.ops, out.longestPrefix, MAX_PREFIX);
  const stuck = out.ops[out.stuck];
  const cannotPlace = ref(model, stuck);
  const statesReached = out.stuckStates.map((id) => describeState(model, out.states[id]));
  return {
    valid: false,
    ops,
    stats,
    counterexample: {
      key,
      longestPrefix: shown,
      prefixLength,
      cannotPlace,
      statesReached,
      message:
        `key ${key}: ${cannotPlace.op} (line ${cannotPlace.line}` +
        (cannotPlace.completeLine ? `–${cannotPlace.completeLine}` : '') +
        `) cannot be linearized; states reached when it had to take effect: ${statesReached.join(' | ') || '(none)'}; ` +
        `longest linearizable prefix has ${prefixLength} ops` +
        (prefixLength > shown.length ? ` (last ${shown.length} shown)` : ''),
      ...(explore ? explored(model, out.ops) : {}),
    },
  };
}

function explored<S>(model: LinearizableModel<S>, ops: readonly SearchOp[]): { explorer?: Explorer } {
  const explorer = explorePartition(model, ops);
  return explorer ? { explorer } : {};
}
