/**
 * Which history lines the checkers blame. Checkers name operations by history line (HISTORY.md "Results"), in
 * shapes that differ per checker and are still evolving, so besides the known shapes this walks any failing result
 * for fields called `line`, `…Line` or `lines`.
 */
import type { CheckResult, Results } from '../../harness/core/checker.ts';

export interface Blame {
  checker: string;
  /** What the checker calls the problem, e.g. `G-single`, `cannot be linearized`, `lost`. */
  what: string;
}

/** Context that names operations which are *not* at fault, such as a counterexample's linearized prefix. */
const CONTEXT_KEYS = new Set([
  'prefix', 'longestPrefix', 'states', 'statesReached', 'witness', 'explorer', 'illegalKeys', 'undecidedKeys', 'partitions', 'stats', 'windows', 'byKind', 'latency', 'latencyMs', 'throughput',
  // A set's recovered elements are indeterminate adds that were later seen: expected, not anomalous.
  'recovered',
]);
/** Keys whose value is the operation no linearization could place. */
const STUCK_KEYS = new Set(['stuck', 'cannotPlace']);
/** Keys that hold problems without naming them; below any other top-level key, the key is the problem's name. */
const CONTAINERS = new Set(['anomalies', 'violations', 'counterexample', 'errors', 'details', 'cycle', 'final']);
/** An embedded op's `type` is its completion type, not the name of an anomaly. */
const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);
const MAX_NODES = 200_000;

export function blamedLines(results: Results): Map<number, Blame[]> {
  const out = new Map<number, Blame[]>();
  const add = (line: unknown, checker: string, what: string): void => {
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) return;
    const list = out.get(line) ?? [];
    if (!list.some((b) => b.checker === checker && b.what === what)) list.push({ checker, what });
    out.set(line, list);
  };
  for (const [name, r] of Object.entries(results.checkers ?? {})) {
    if (r?.valid !== false) continue;
    walk(r, name, add);
    // The linearizability checker puts one counterexample at the top and one per illegal key under `partitions`.
    const parts = r.partitions;
    if (typeof parts === 'object' && parts !== null)
      for (const p of Object.values(parts)) if (p && typeof p === 'object' && 'counterexample' in p) walk({ valid: false, counterexample: p.counterexample }, name, add);
  }
  return out;
}

type Add = (line: unknown, checker: string, what: string) => void;

/** Friendlier names for lists whose key is terse. */
const NAMES: Readonly<Record<string, string>> = {
  divergent: 'regions disagree',
  inadmissible: 'impossible final state',
  missing: 'no final read',
};

function walk(r: CheckResult, checker: string, add: Add): void {
  let budget = MAX_NODES;
  // `specific` is true once the label names the problem (a list key like `lost`, or an anomaly type); after that a
  // nested `kind` (say, the key's data type) must not replace it.
  const visit = (v: unknown, what: string, specific: boolean, key: string): void => {
    if (--budget < 0 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, what, specific, key);
      return;
    }
    const o = v as Record<string, unknown>;
    const named = specific ? undefined : [o.type, o.kind, o.guarantee].find((x): x is string => typeof x === 'string' && !OP_TYPES.has(x));
    const label = named ?? what;
    const isSpecific = specific || named !== undefined;
    for (const [k, x] of Object.entries(o)) {
      if (CONTEXT_KEYS.has(k)) continue;
      if (k === 'line' || /Line$/.test(k)) add(x, checker, label);
      else if (/^lines$|Lines$/.test(k) && typeof x === 'object' && x !== null) for (const l of Object.values(x)) add(l, checker, label);
      // Inside `anomalies: {TYPE: [...]}` the key is the anomaly's name; `stuck` is the op no order could place.
      else if (key === 'anomalies') visit(x, k, true, k);
      else if (STUCK_KEYS.has(k)) visit(x, 'cannot be linearized', true, k);
      else if (!isSpecific && !CONTAINERS.has(k)) visit(x, NAMES[k] ?? k, true, k);
      else visit(x, label, isSpecific, k);
    }
  };
  visit(r, checker, false, '');
}
