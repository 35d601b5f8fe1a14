import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, hashString, type LinearizableModel, type OpInput } from '../model.ts';

/** A set as its elements' canonical JSON texts, sorted and distinct, so equal sets are equal arrays. */
export type SetState = readonly string[];

function sortedElements(v: unknown): string[] {
  return (v as unknown[]).map(canonical).sort();
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * add(e) / remove(e) / read() → [elements] (whole set, in any order) / contains(e) → boolean.
 * A read listing an element twice is never legal: a set holds each element once.
 */
export function setModel(initial: readonly unknown[] = []): LinearizableModel<SetState> {
  const init = Object.freeze([...new Set(sortedElements(initial))]);
  return {
    name: 'set',
    init: () => init,
    step(state: SetState, input: OpInput, output: unknown | Unknown) {
      switch (input.f) {
        case 'add': {
          const e = canonical(input.value);
          if (state.includes(e)) return { ok: true, next: state };
          return { ok: true, next: Object.freeze([...state, e].sort()) };
        }
        case 'remove': {
          const e = canonical(input.value);
          return { ok: true, next: state.includes(e) ? Object.freeze(state.filter((x) => x !== e)) : state };
        }
        case 'read':
          return { ok: output === UNKNOWN || sameList(sortedElements(output), state), next: state };
        case 'contains':
          return { ok: output === UNKNOWN || output === state.includes(canonical(input.value)), next: state };
        default:
          return { ok: false, next: state };
      }
    },
    equal: sameList,
    hash: (s) => hashString(s.join('\u0000')),
    isReadOnly: (input) => input.f === 'read' || input.f === 'contains',
    checkOp(input, output) {
      switch (input.f) {
        case 'add':
        case 'remove':
          return undefined;
        case 'read':
          return output === undefined || Array.isArray(output) ? undefined : `set read must return an array (got ${canonical(output)})`;
        case 'contains':
          return output === undefined || typeof output === 'boolean' ? undefined : `set contains must return true or false (got ${canonical(output)})`;
        default:
          return `f ${JSON.stringify(input.f)} is not an operation of the set model (expected add, remove, read, contains)`;
      }
    },
    describeState: (s) => '{' + s.join(', ') + '}',
  };
}
