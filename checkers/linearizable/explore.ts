/**
 * For a key that is not linearizable: for each of its operations, the longest partial linearization found that
 * includes it, so a reader can point at any operation and see an order that takes it, step by step with the model
 * state, and which operations no extension of that order could place.
 *
 * A second depth-first search over linearization orders, run only after the key is known to be illegal and only
 * for small keys, with a step cap: the orders are the best this search found within the cap, not a proof of the
 * longest possible. Every order it reports is a real partial linearization (real-time order and the model both
 * respected), replayed with the states it leaves.
 *
 * It remembers each configuration it has entered (the set of ops taken and the state they leave): ops that
 * commute reach one configuration by many orders, and what can follow depends on the configuration alone, so a
 * second visit could find nothing longer for any op. Without this, the search spent its whole step cap
 * re-entering configurations on most of Porcupine's bad etcd logs, and cost ten times the check itself.
 */
import { UNKNOWN } from '../../harness/core/model.ts';
import { replay, type PrefixStep } from './explain.ts';
import { StateTable } from './memo.ts';
import type { LinearizableModel } from './model.ts';
import type { SearchOp } from './search-op.ts';

export interface Explorer {
  /** Invoke line of each op of the key, in history order. */
  lines: number[];
  /** Index into `orders` for each op in `lines`; -1 when no order found within the cap includes it. */
  orderOf: number[];
  /** Distinct partial linearizations, each as its steps (invoke line, op, state after). */
  orders: PrefixStep[][];
  /** True when the step cap ended the search before it had tried every order. */
  capped: boolean;
}

export const EXPLORE_MAX_OPS = 200;
const MAX_STEPS = 50_000;
const MAX_ORDER_STEPS = 4_000;

export function explorePartition<S>(model: LinearizableModel<S>, ops: readonly SearchOp[]): Explorer | undefined {
  const n = ops.length;
  if (n === 0 || n > EXPLORE_MAX_OPS) return undefined;
  const best = new Int32Array(n);
  const bestOrder: (number[] | undefined)[] = new Array(n);
  const done = new Uint8Array(n);
  const doneBits = new Int32Array((n + 31) >>> 5);
  const entered = new Set<string>();
  // States by id (the model's own hash and equality), so a configuration's key is a few integers.
  const states = new StateTable<S>(model);
  const stack: number[] = [];
  let steps = 0;
  let capped = false;
  // An op can take effect next when no op still pending returned before it was called.
  const candidates = (): number[] => {
    let minRet = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && !ops[i].unknown && ops[i].ret < minRet) minRet = ops[i].ret;
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!done[i] && ops[i].call < minRet) out.push(i);
    return out;
  };
  const record = (): void => {
    const d = stack.length;
    let copy: number[] | undefined;
    for (const i of stack) {
      if (best[i] >= d) continue;
      copy ??= stack.slice();
      best[i] = d;
      bestOrder[i] = copy;
    }
  };
  /** True the first time the search enters the configuration of `done` and `state`. */
  const enter = (state: S): boolean => {
    let key = String(states.intern(state));
    for (let w = 0; w < doneBits.length; w++) key += ',' + doneBits[w];
    if (entered.has(key)) return false;
    entered.add(key);
    return true;
  };
  const dfs = (state: S): void => {
    for (const c of candidates()) {
      if (++steps > MAX_STEPS) {
        capped = true;
        return;
      }
      const op = ops[c];
      const r = model.step(state, op.input, op.unknown ? UNKNOWN : op.output);
      if (!r.ok) continue;
      done[c] = 1;
      doneBits[c >>> 5] ^= 1 << (c & 31);
      stack.push(c);
      if (enter(r.next)) {
        record();
        dfs(r.next);
      }
      stack.pop();
      doneBits[c >>> 5] ^= 1 << (c & 31);
      done[c] = 0;
      if (capped) return;
    }
  };
  dfs(model.init());
  states.release();
  const orders: PrefixStep[][] = [];
  const index = new Map<number[], number>();
  let kept = 0;
  const orderOf = ops.map((_, i) => {
    const o = bestOrder[i];
    if (!o) return -1;
    const known = index.get(o);
    if (known !== undefined) return known;
    // results.json stays bounded: past the cap an op's order is not kept.
    if (kept + o.length > MAX_ORDER_STEPS) return -1;
    kept += o.length;
    index.set(o, orders.length);
    return orders.push(replay(model, ops, o)) - 1;
  });
  return { lines: ops.map((o) => o.line), orderOf, orders, capped };
}
