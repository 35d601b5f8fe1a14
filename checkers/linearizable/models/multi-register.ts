import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, hashString, type LinearizableModel, type OpInput } from '../model.ts';

/**
 * Several registers changed together: canonical key text → canonical value text, with the whole map's canonical
 * text kept for equality and hashing. Registers never written (and not in the initial map) are absent.
 */
export interface MultiRegisterState {
  readonly values: ReadonlyMap<string, string>;
  readonly text: string;
}

export interface MultiRegisterOptions {
  /**
   * The registers' values before any write: an object (`{"x": 0, "y": 0}`, string keys) or a list of
   * `[key, value]` pairs (keys of any JSON type, as Jepsen's keywords and vectors arrive).
   */
  initial?: unknown;
  /** An ok read of null: `absent` (Rift JSONL: the register was never written) or `any` (Knossos: matches any value). */
  nilRead?: 'absent' | 'any';
}

const READS = new Set(['r', 'read']);
const WRITES = new Set(['w', 'write']);

function stateOf(values: Map<string, string>): MultiRegisterState {
  const keys = [...values.keys()].sort();
  return { values, text: keys.map((k) => `${k}=${values.get(k)}`).join('\u0000') };
}

/** `[key, value]` pairs from the initial value, or a description of why it is not one. */
function initialPairs(initial: unknown): [unknown, unknown][] {
  if (initial === undefined || initial === null) return [];
  if (Array.isArray(initial)) {
    if (initial.every((p) => Array.isArray(p) && p.length === 2)) return initial as [unknown, unknown][];
  } else if (typeof initial === 'object') {
    return Object.entries(initial as Record<string, unknown>);
  }
  throw new RangeError(`multi-register model: initial must be an object of register values or a list of [key, value] pairs (got ${canonical(initial)})`);
}

function mopProblem(m: unknown, i: number): string | undefined {
  if (!Array.isArray(m) || m.length !== 3) return `micro-op ${i} must be [f, key, value] (got ${canonical(m)})`;
  if (!READS.has(m[0] as string) && !WRITES.has(m[0] as string)) return `micro-op ${i} has f ${canonical(m[0])}; the multi-register model takes r/read and w/write`;
  return undefined;
}

/**
 * Knossos' multi-register: one op, `txn`, whose value is a list of `[f, key, value]` micro-ops with f read or write
 * (`r`/`w` as Elle writes them are accepted too). A transaction happens at one instant: its reads must see the
 * registers as the earlier micro-ops of the same transaction left them. Keys interact, so the history is one
 * partition.
 */
export function multiRegisterModel(opts: MultiRegisterOptions = {}): LinearizableModel<MultiRegisterState> {
  const nilAny = opts.nilRead === 'any';
  const start = new Map<string, string>();
  for (const [k, v] of initialPairs(opts.initial)) if (v !== null && v !== undefined) start.set(canonical(k), canonical(v));
  const init = stateOf(start);
  return {
    name: 'multi-register',
    partitionByKey: false,
    init: () => init,
    step(state: MultiRegisterState, input: OpInput, output: unknown | Unknown) {
      // Known: the completion's micro-ops, with what the reads returned. Unknown: only the writes can be replayed.
      const mops = (output === UNKNOWN ? input.value : output) as (readonly [string, unknown, unknown])[];
      let next: Map<string, string> | undefined;
      for (let i = 0; i < mops.length; i++) {
        const [f, k, v] = mops[i];
        const key = canonical(k);
        if (WRITES.has(f)) {
          next ??= new Map(state.values);
          if (v === null || v === undefined) next.delete(key);
          else next.set(key, canonical(v));
          continue;
        }
        if (output === UNKNOWN || ((v === null || v === undefined) && nilAny)) continue;
        const current = (next ?? state.values).get(key);
        const read = v === null || v === undefined ? undefined : canonical(v);
        if (current !== read) return { ok: false, next: state };
      }
      return { ok: true, next: next ? stateOf(next) : state };
    },
    equal: (a, b) => a === b || a.text === b.text,
    hash: (s) => hashString(s.text),
    isReadOnly: (input) => Array.isArray(input.value) && input.value.every((m) => Array.isArray(m) && READS.has(m[0] as string)),
    checkOp(input, output) {
      if (input.f !== 'txn') return `f ${JSON.stringify(input.f)} is not an operation of the multi-register model (expected txn)`;
      if (!Array.isArray(input.value)) return `a txn value must be a list of [f, key, value] micro-ops (got ${canonical(input.value)})`;
      for (let i = 0; i < input.value.length; i++) {
        const p = mopProblem(input.value[i], i);
        if (p) return p;
      }
      if (output === undefined) return undefined;
      if (!Array.isArray(output) || output.length !== input.value.length) {
        return `the ok value must list the same ${input.value.length} micro-ops as the invoke (got ${canonical(output)})`;
      }
      for (let i = 0; i < output.length; i++) {
        const p = mopProblem(output[i], i);
        if (p) return `ok value: ${p}`;
        const [f, k, v] = output[i] as unknown[];
        const [f0, k0, v0] = input.value[i] as unknown[];
        if (f !== f0 || canonical(k) !== canonical(k0) || (WRITES.has(f as string) && canonical(v) !== canonical(v0))) {
          return `ok micro-op ${i} ${canonical(output[i])} does not match the invoked ${canonical(input.value[i])}`;
        }
      }
      return undefined;
    },
    describeState: (s) => '{' + [...s.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k} ${v}`).join(', ') + '}',
  };
}
