import type { CheckResult } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';

/** What a checker needs before it can reach a verdict: `count` ok client operations that `counts` accepts. */
export interface DataNeed {
  count: number;
  /** Which ok client operations count (default: any); probes and faults never do. */
  counts?: (op: IndexedOp) => boolean;
  /** What they are, in the reason: "ok reads", "ok client operations", … */
  what: string;
}

/**
 * `unknown` with the reason when the history holds fewer ok client operations than the checker needs, else
 * undefined. An invoke that never completed, a fail, a fault or a probe is no evidence of what the system does, so a
 * history of only those is never valid (HISTORY.md "Too little data").
 */
export function tooLittleData(history: readonly IndexedOp[], need: DataNeed): CheckResult | undefined {
  let n = 0;
  for (const op of history) {
    if (op.type !== 'ok' || op.process === 'nemesis' || op.meta?.probe === true) continue;
    if (need.counts && !need.counts(op)) continue;
    if (++n >= need.count) return undefined;
  }
  return {
    valid: 'unknown',
    reason: `too little data: ${n} ${need.what}, at least ${need.count} needed to reach a verdict`,
    tooLittleData: { have: n, need: need.count, what: need.what },
  };
}
