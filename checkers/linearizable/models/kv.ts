import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, hashString, type LinearizableModel, type OpInput } from '../model.ts';

/**
 * One key of a key-value store with get/put/append (the checker splits the history per key).
 * The value is a string (append concatenates, as in Porcupine's kv) or a list (append adds one element).
 * State is canonical JSON text; `null` = absent.
 */
export type KvState = string;

function appendTo(stateText: string, element: unknown): string {
  const current: unknown = JSON.parse(stateText);
  if (current === null) return typeof element === 'string' ? canonical(element) : canonical([element]);
  if (typeof current === 'string' && typeof element === 'string') return canonical(current + element);
  if (Array.isArray(current)) return canonical([...current, element]);
  return canonical([current, element]);
}

export function kvModel(initial: unknown = null): LinearizableModel<KvState> {
  const init = canonical(initial ?? null);
  return {
    name: 'kv',
    init: () => init,
    step(state: KvState, input: OpInput, output: unknown | Unknown) {
      switch (input.f) {
        case 'get':
          return { ok: output === UNKNOWN || canonical(output) === state, next: state };
        case 'put':
          return { ok: true, next: canonical(input.value) };
        case 'append':
          return { ok: true, next: appendTo(state, input.value) };
        default:
          return { ok: false, next: state };
      }
    },
    equal: (a, b) => a === b,
    hash: hashString,
    isReadOnly: (input) => input.f === 'get',
    checkOp(input) {
      if (input.f === 'get' || input.f === 'put' || input.f === 'append') return undefined;
      return `f ${JSON.stringify(input.f)} is not an operation of the kv model (expected get, put, append)`;
    },
    describeState: (s) => (s === 'null' ? 'absent' : s),
  };
}
