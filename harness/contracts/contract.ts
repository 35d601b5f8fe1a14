/**
 * A run's contract: for every checker the run used, the promises of the target for the keys that checker judged.
 * The verdict answers one question, "was every promise kept?"; every other checker is a measurement.
 */
import { mergeValidity, type Checker, type ContractLine, type Results } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import { promisesFor, tierOf, type Tier } from './promises.ts';

/**
 * The tiers of the keys a checker judged: the client operations of its scope (probes are the harness's); with none,
 * the tier of the key prefix it was given, so a part that made no operation still owes its promises (and its
 * checker's "too little data" shows as an undecided promise).
 */
function tiersJudged(target: string, checker: Checker, history: readonly IndexedOp[], keyPrefix?: string): Set<Tier> {
  const tiers = new Set<Tier>();
  const part = checker.scope?.part;
  const parts = part === undefined ? undefined : new Set<unknown>(typeof part === 'string' ? [part] : part);
  for (const op of history) {
    if (op.process === 'nemesis' || op.meta?.probe === true || typeof op.key !== 'string') continue;
    if (parts !== undefined && !parts.has(op.meta?.part)) continue;
    tiers.add(tierOf(target, op.key));
  }
  const prefix = checker.scope ? checker.scope.keyPrefix : keyPrefix;
  if (tiers.size === 0 && prefix !== undefined) tiers.add(tierOf(target, prefix));
  return tiers;
}

/**
 * The contract lines of a run. `names[i]` is the results key of `checkers[i]`; `wholeScope` describes the keys of
 * an unscoped checker, `keyPrefix` (the run's) gives their tier when they judged no operation.
 */
export function contractLines(target: string, checkers: readonly Checker[], names: readonly string[], history: readonly IndexedOp[], wholeScope: string, keyPrefix?: string): ContractLine[] {
  const lines: ContractLine[] = [];
  checkers.forEach((c, i) => {
    const base = c.scope?.checker ?? c.name;
    for (const p of promisesFor(target, tiersJudged(target, c, history, keyPrefix))) {
      if (p.checker === base) lines.push({ property: p.property, checker: names[i], scope: c.scope?.label ?? wholeScope });
    }
  });
  return lines;
}

/**
 * Results judged by a contract: `valid` is the verdict over the promises alone, the other checkers are listed as
 * measurements. A contract none of whose lines a run could judge proves nothing: unknown.
 */
export function applyContract(target: string, lines: readonly ContractLine[], results: Results): Results {
  const judged = lines.map((l) => ({ ...l, kept: results.checkers[l.checker]?.valid ?? ('unknown' as const) }));
  const promised = new Set(lines.map((l) => l.checker));
  const measurements = Object.keys(results.checkers).filter((n) => !promised.has(n));
  const valid = judged.length ? mergeValidity(judged.map((l) => l.kept)) : 'unknown';
  const reason = judged.length ? undefined : `no checker of this run proves a promise of target "${target}"`;
  return { ...results, valid, contract: { target, valid, lines: judged, ...(reason ? { reason } : {}) }, measurements };
}
