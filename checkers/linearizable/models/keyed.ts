import type { Unknown } from '../../../harness/core/model.ts';
import { hashString, type LinearizableModel, type OpInput } from '../model.ts';

/** Per-key inner states, sorted by key; keys still at the initial state are absent, so equal maps are equal lists. */
export type KeyedState<S> = readonly (readonly [string, S])[];

/**
 * Lifts a one-object model to many keys in one state, for checking a history without splitting it per key.
 * It exists to confirm the split (locality) and for models whose users want one search.
 */
export function keyedModel<S>(inner: LinearizableModel<S>): LinearizableModel<KeyedState<S>> {
  const init = inner.init();
  const get = (s: KeyedState<S>, key: string): S => s.find(([k]) => k === key)?.[1] ?? init;
  const put = (s: KeyedState<S>, key: string, v: S): KeyedState<S> => {
    const rest = s.filter(([k]) => k !== key);
    const next = inner.equal(v, init) ? rest : [...rest, [key, v] as const].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.freeze(next);
  };
  return {
    name: `keyed(${inner.name})`,
    partitionByKey: false,
    init: () => Object.freeze([]),
    step(state, input: OpInput, output: unknown | Unknown) {
      const key = input.key ?? '';
      const r = inner.step(get(state, key), input, output);
      return { ok: r.ok, next: r.ok ? put(state, key, r.next) : state };
    },
    equal: (a, b) => a.length === b.length && a.every(([k, v], i) => k === b[i][0] && inner.equal(v, b[i][1])),
    hash: (s) => s.reduce((h, [k, v]) => (Math.imul(h, 31) + (hashString(k) ^ inner.hash(v))) | 0, 0x2545f491) >>> 0,
    isReadOnly: inner.isReadOnly?.bind(inner),
    checkOp: inner.checkOp?.bind(inner),
    describeOp: inner.describeOp?.bind(inner),
    describeState: (s) => '{' + s.map(([k, v]) => `${k}: ${inner.describeState ? inner.describeState(v) : String(v)}`).join(', ') + '}',
  };
}
