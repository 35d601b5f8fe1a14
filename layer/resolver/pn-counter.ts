/**
 * PN-counter: per region, the total of its increments (P) and of its decrements (N). Each region only
 * grows its own entries, so the join is the pointwise max and the value is ΣP − ΣN.
 */
import { parseVClock, vcMerge, type VClock } from '../clock/vclock.ts';
import { asRecord, present } from './parse-helpers.ts';
import { rejected, wrongType, type Crdt } from './types.ts';

export interface PnCounterState {
  p: VClock;
  n: VClock;
}

const total = (c: VClock) => Object.values(c).reduce((s, x) => s + x, 0);

export const pnCounter: Crdt<PnCounterState> = {
  strategy: 'pn-counter',
  apply(state, op, ctx) {
    if (op.op !== 'incr') return wrongType('pn-counter', op);
    if (!Number.isSafeInteger(op.delta)) return rejected(`incr delta must be an integer, got ${JSON.stringify(op.delta)}`);
    const s = state ?? { p: {}, n: {} };
    const side = op.delta >= 0 ? 'p' : 'n';
    const next = (s[side][ctx.region] ?? 0) + Math.abs(op.delta);
    const after = { ...s, [side]: vcMerge(s[side], { [ctx.region]: next }) };
    if (!Number.isSafeInteger(total(after.p)) || !Number.isSafeInteger(total(after.n))) {
      return rejected(`incr by ${op.delta} would overflow the counter's exact integer range`);
    }
    return { ok: true, state: { p: after.p, n: after.n } };
  },
  merge: (a, b) => ({ p: vcMerge(a.p, b.p), n: vcMerge(a.n, b.n) }),
  read: (s) => ({ value: total(s.p) - total(s.n) }),
  conflicted: () => false,
  parse(x, where) {
    const r = asRecord(x, where);
    return { p: parseVClock(present(r, 'p', where), `${where}.p`), n: parseVClock(present(r, 'n', where), `${where}.n`) };
  },
};

const sumPerRegion = (a: VClock, b: VClock): VClock => {
  const out: Record<string, number> = { ...a };
  for (const [r, x] of Object.entries(b)) out[r] = (out[r] ?? 0) + x;
  return out;
};

/**
 * The counter-merge-sum calibration bug: adds the two sides' per-region totals instead of taking the max, as if
 * each state were a delta. Every state received again (redelivery, a full-state ship) is counted again.
 */
export const mergeSummingPerRegion = (a: PnCounterState, b: PnCounterState): PnCounterState =>
  ({ p: sumPerRegion(a.p, b.p), n: sumPerRegion(a.n, b.n) });
