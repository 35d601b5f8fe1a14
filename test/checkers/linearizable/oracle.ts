import { UNKNOWN } from '../../../harness/core/model.ts';
import type { IndexedOp } from '../../../harness/core/op.ts';
import { pairOps } from '../../../harness/history/pairs.ts';
import type { LinearizableModel } from '../../../checkers/linearizable/model.ts';

/**
 * The brute-force oracle of CHECKERS.md §5.2, written independently of the WGL code: try every order of the
 * ops that respects real time, where each info op may be placed anywhere after its call or left out.
 * Exponential; for histories of a handful of ops, one key.
 */
export function bruteForceLinearizable<S>(history: readonly IndexedOp[], model: LinearizableModel<S>): boolean {
  const ops = pairOps(history)
    .filter((p) => p.type !== 'fail')
    .map((p) => ({
      call: p.invoke.index,
      ret: p.type === 'ok' ? p.complete!.index : Infinity,
      input: { f: p.invoke.f, key: p.invoke.key, value: p.invoke.value },
      output: p.type === 'ok' ? p.complete!.value : UNKNOWN,
      required: p.type === 'ok',
    }));
  const placed = new Array(ops.length).fill(false);
  const go = (state: S, left: number): boolean => {
    if (ops.every((o, i) => placed[i] || !o.required)) return true;
    if (left === 0) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      // op i can go next only if no unplaced op finished before it was called
      if (ops.some((o, j) => !placed[j] && j !== i && o.ret < ops[i].call)) continue;
      const r = model.step(state, ops[i].input, ops[i].output);
      if (!r.ok) continue;
      placed[i] = true;
      const found = go(r.next, left - 1);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return go(model.init(), ops.length);
}
