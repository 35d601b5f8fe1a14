import type { LinearizableModel, OpInput } from '../model.ts';

/** Held or free; a lock on another key is another partition. */
export type MutexState = 0 | 1;

/**
 * Knossos' mutex: `acquire` succeeds only on a free lock and `release` only on a held one; the ops' values and
 * completion values carry nothing. Two acquires with no release between them cannot be linearized. An `info`
 * acquire may or may not have happened, and the search places it only where the lock was free.
 */
export function mutexModel(initiallyHeld = false): LinearizableModel<MutexState> {
  const init: MutexState = initiallyHeld ? 1 : 0;
  return {
    name: 'mutex',
    init: () => init,
    step(state: MutexState, input: OpInput) {
      switch (input.f) {
        case 'acquire':
          return { ok: state === 0, next: 1 };
        case 'release':
          return { ok: state === 1, next: 0 };
        default:
          return { ok: false, next: state };
      }
    },
    equal: (a, b) => a === b,
    hash: (s) => s,
    checkOp(input) {
      if (input.f === 'acquire' || input.f === 'release') return undefined;
      return `f ${JSON.stringify(input.f)} is not an operation of the mutex model (expected acquire, release)`;
    },
    describeOp: (input) => (input.key === undefined ? input.f : `${input.f}[${input.key}]`),
    describeState: (s) => (s === 1 ? 'held' : 'free'),
  };
}
