import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, hashStringSampled, type LinearizableModel, type OpInput } from '../model.ts';
import type { SearchOp } from '../search-op.ts';

/**
 * A single register, state held as canonical JSON text so that equality is string equality.
 * `null` is "absent" (never written), which a read can observe and which is never confused with an unknown result:
 * an unknown result is the UNKNOWN output, never null.
 */
export type RegisterState = string;

const ABSENT = 'null';

export interface RegisterOptions {
  /** Value before any write; null/undefined = absent. */
  initial?: unknown;
  /** Accept cas ops (f "cas", value [expected, new], ok value true/false). */
  cas?: boolean;
  name?: string;
}

/** Whether a completed cas swapped: true or Jepsen's echoed [expected, new] mean it did, false that the compare failed. */
function casSwapped(output: unknown): boolean {
  return output !== false;
}

function isPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2;
}

export function registerModel(opts: RegisterOptions = {}): LinearizableModel<RegisterState> {
  const withCas = opts.cas ?? false;
  const init = opts.initial === undefined ? ABSENT : canonical(opts.initial);
  const fs = withCas ? 'read, write, cas' : 'read, write';
  return {
    name: opts.name ?? (withCas ? 'cas-register' : 'register'),
    init: () => init,
    step(state: RegisterState, input: OpInput, output: unknown | Unknown) {
      switch (input.f) {
        case 'read':
          return { ok: output === UNKNOWN || canonical(output) === state, next: state };
        case 'write':
          return { ok: true, next: canonical(input.value) };
        case 'cas': {
          const [expected, value] = input.value as [unknown, unknown];
          const matches = canonical(expected) === state;
          if (output === UNKNOWN) return { ok: true, next: matches ? canonical(value) : state };
          return casSwapped(output) ? { ok: matches, next: canonical(value) } : { ok: !matches, next: state };
        }
        default:
          return { ok: false, next: state };
      }
    },
    equal: (a, b) => a === b,
    hash: hashStringSampled,
    isReadOnly: (input) => input.f === 'read',
    observesOnly: (input, output) => input.f === 'cas' && !casSwapped(output),
    checkOp(input, output) {
      if (input.f === 'read' || input.f === 'write') return undefined;
      if (input.f === 'cas' && withCas) {
        if (!isPair(input.value)) return `cas value must be [expected, new] (got ${canonical(input.value)})`;
        if (output !== undefined && typeof output !== 'boolean' && canonical(output) !== canonical(input.value)) {
          return `cas ok value must be true, false or the [expected, new] pair (got ${canonical(output)})`;
        }
        return undefined;
      }
      return `f ${JSON.stringify(input.f)} is not an operation of the ${withCas ? 'cas-register' : 'register'} model (expected ${fs})`;
    },
    describeState: (s) => (s === ABSENT ? 'absent' : s),
    pruneUnknown: invisibleWritesDropped,
  };
}

/**
 * Drops unknown-outcome writes whose value nothing observes: no ok read returned it and no cas compares with it.
 * Such a write can always be left out of a linearization: until the next write or swap replaces its value, the ops
 * placed after it are reads (none returns its value), swaps (none expects it, so each would have to fail) and
 * unknown ops (which may as well be left out too). Dropping it only changes the outcome of a cas that failed, so the
 * rule holds back when the partition has a completed cas that returned false.
 */
function invisibleWritesDropped(ops: readonly SearchOp[]): SearchOp[] {
  // Histories without timeouts are the common case: nothing to drop, so skip reading every value.
  if (!ops.some((op) => op.unknown && op.input.f === 'write')) return [...ops];
  const observed = new Set<string>();
  for (const op of ops) {
    if (op.input.f === 'cas') {
      if (!op.unknown && !casSwapped(op.output)) return [...ops];
      if (isPair(op.input.value)) observed.add(canonical(op.input.value[0]));
    } else if (op.input.f === 'read' && !op.unknown) {
      observed.add(canonical(op.output));
    }
  }
  return ops.filter((op) => !(op.unknown && op.input.f === 'write' && !observed.has(canonical(op.input.value))));
}

/** The etcd CAS register of the Porcupine/Jepsen logs: a cas-register that starts absent. */
export const casRegisterModel = (initial?: unknown): LinearizableModel<RegisterState> =>
  registerModel({ cas: true, initial });
