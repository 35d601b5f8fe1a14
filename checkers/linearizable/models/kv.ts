import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, hashStringSampled, type LinearizableModel, type OpInput } from '../model.ts';

/**
 * One key of a key-value store with get/put/append (the checker splits the history per key).
 * The value is a string (append concatenates, as in Porcupine's kv) or a list (append adds one element).
 * State is tagged text: "n" absent, "s" + the string itself, "j" + canonical JSON of any other value, so that
 * the common case, appending to a string, is one concatenation and equality is string equality.
 */
export type KvState = string;

const ABSENT = 'n';

export function encodeKv(v: unknown): KvState {
  if (v === null || v === undefined) return ABSENT;
  return typeof v === 'string' ? 's' + v : 'j' + canonical(v);
}

function decodeKv(s: KvState): unknown {
  if (s === ABSENT) return null;
  return s[0] === 's' ? s.slice(1) : JSON.parse(s.slice(1));
}

function appendTo(state: KvState, element: unknown): KvState {
  if (typeof element === 'string' && (state[0] === 's' || state === ABSENT)) return (state === ABSENT ? 's' : state) + element;
  const current = decodeKv(state);
  if (current === null) return encodeKv([element]);
  return encodeKv(Array.isArray(current) ? [...current, element] : [current, element]);
}

export function kvModel(initial: unknown = null): LinearizableModel<KvState> {
  const init = encodeKv(initial);
  return {
    name: 'kv',
    init: () => init,
    step(state: KvState, input: OpInput, output: unknown | Unknown) {
      switch (input.f) {
        case 'get':
          return { ok: output === UNKNOWN || encodeKv(output) === state, next: state };
        case 'put':
          return { ok: true, next: encodeKv(input.value) };
        case 'append':
          return { ok: true, next: appendTo(state, input.value) };
        default:
          return { ok: false, next: state };
      }
    },
    equal: (a, b) => a === b,
    hash: hashStringSampled,
    isReadOnly: (input) => input.f === 'get',
    checkOp(input) {
      if (input.f === 'get' || input.f === 'put' || input.f === 'append') return undefined;
      return `f ${JSON.stringify(input.f)} is not an operation of the kv model (expected get, put, append)`;
    },
    describeState: (s) => (s === ABSENT ? 'absent' : canonical(decodeKv(s))),
  };
}
