/**
 * Which consistency models an anomaly rules out (CHECKERS.md §3.6). Two small graphs: models point at the weaker
 * models they imply, anomalies at the anomalies they imply. A found anomaly rules out the models that directly
 * forbid it or anything it implies, and every model stronger than those.
 */
const WEAKER: Record<string, readonly string[]> = {
  'strict-serializable': ['serializable', 'strong-session-serializable', 'strong-snapshot-isolation'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-read-committed'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-read-committed'],
  'strong-read-committed': ['strong-session-read-committed', 'strong-read-uncommitted'],
  'strong-session-read-committed': ['read-committed', 'strong-session-read-uncommitted'],
  'strong-read-uncommitted': ['strong-session-read-uncommitted'],
  'strong-session-read-uncommitted': ['read-uncommitted'],
  serializable: ['repeatable-read', 'snapshot-isolation'],
  'snapshot-isolation': ['consistent-view', 'read-atomic', 'update-atomic'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  'consistent-view': ['cursor-stability'],
  'read-atomic': ['monotonic-atomic-view'],
  'monotonic-atomic-view': ['read-committed'],
  'cursor-stability': ['read-committed'],
  'update-atomic': ['read-committed'],
  'read-committed': ['read-uncommitted'],
  'read-uncommitted': [],
};

export const KNOWN_MODELS: readonly string[] = Object.keys(WEAKER);

const IMPLIES: Record<string, readonly string[]> = {
  G0: ['G1c'],
  'G0-process': ['G1c-process'],
  'G0-realtime': ['G1c-realtime'],
  'G-single': ['G-nonadjacent', 'G2-item'],
  'G-single-process': ['G-nonadjacent-process', 'G2-item-process'],
  'G-single-realtime': ['G-nonadjacent-realtime', 'G2-item-realtime'],
  'G-nonadjacent': ['G2-item'],
  'G-nonadjacent-process': ['G2-item-process'],
  'G-nonadjacent-realtime': ['G2-item-realtime'],
  // Elle's reading: an order no single history explains, or an aborted state under committed ones, is a dirty read.
  'incompatible-order': ['G1a'],
  'dirty-update': ['G1a'],
  // A read of the transaction's own later write is a one-transaction wr cycle.
  'future-read': ['G1c'],
  'lost-update': ['G2-item'],
};

const FORBIDDEN_BY: Record<string, readonly string[]> = {
  G0: ['read-uncommitted'],
  'duplicate-elements': ['read-uncommitted'],
  'cyclic-versions': ['read-uncommitted'],
  G1a: ['read-committed'],
  G1b: ['read-committed'],
  G1c: ['read-committed'],
  'G0-process': ['strong-session-read-uncommitted'],
  'G1c-process': ['strong-session-read-committed'],
  'G0-realtime': ['strong-read-uncommitted'],
  'G1c-realtime': ['strong-read-committed'],
  'G-single': ['consistent-view'],
  'G-nonadjacent': ['snapshot-isolation'],
  'G-nonadjacent-process': ['strong-session-snapshot-isolation'],
  'G-nonadjacent-realtime': ['strong-snapshot-isolation'],
  'G2-item': ['repeatable-read'],
  'G2-item-process': ['strong-session-serializable'],
  'G2-item-realtime': ['strict-serializable'],
  'lost-update': ['cursor-stability', 'update-atomic'],
  internal: ['read-atomic'],
  'future-read': ['read-atomic'],
};

const CYCLE_EXISTS = '-cycle-exists';

/** `M-cycle-exists` (a cycle over M's forbidden relations, found when the typed search ran out of time) rules out M. */
const forbiddenBy = (a: string): readonly string[] =>
  a.endsWith(CYCLE_EXISTS) ? [a.slice(0, -CYCLE_EXISTS.length)] : FORBIDDEN_BY[a] ?? [];

function closure(start: Iterable<string>, next: (x: string) => readonly string[]): Set<string> {
  const out = new Set<string>();
  const todo = [...start];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (out.has(x)) continue;
    out.add(x);
    todo.push(...next(x));
  }
  return out;
}

const STRONGER: Record<string, string[]> = {};
for (const [m, ws] of Object.entries(WEAKER)) for (const w of ws) (STRONGER[w] ??= []).push(m);

const stronger = (m: string): readonly string[] => STRONGER[m] ?? [];
const weaker = (m: string): readonly string[] => WEAKER[m] ?? [];

/** Every anomaly `types` imply, themselves included. */
export const impliedAnomalies = (types: Iterable<string>): Set<string> => closure(types, (a) => IMPLIES[a] ?? []);

/** Every model that cannot hold given these anomaly types. */
export function impossibleModels(types: Iterable<string>): Set<string> {
  const direct = [...impliedAnomalies(types)].flatMap(forbiddenBy);
  return closure(direct, stronger);
}

/** `not`: the weakest models ruled out; `alsoNot`: the stronger ones they drag along (both sorted). */
export function boundary(types: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(types);
  const not: string[] = [];
  const alsoNot: string[] = [];
  for (const m of impossible) {
    const below = closure(weaker(m), weaker);
    if ([...below].some((w) => impossible.has(w))) alsoNot.push(m);
    else not.push(m);
  }
  return { not: not.sort(), alsoNot: alsoNot.sort() };
}

/** True when the anomaly type rules out at least one of `models`. */
export function violates(type: string, models: readonly string[]): boolean {
  const impossible = impossibleModels([type]);
  return models.some((m) => impossible.has(m));
}

export function validateModels(models: readonly string[]): void {
  const unknown = models.filter((m) => !(m in WEAKER));
  if (unknown.length > 0) {
    throw new RangeError(`unknown consistency model ${unknown.map((m) => JSON.stringify(m)).join(', ')}; known models: ${KNOWN_MODELS.join(', ')}`);
  }
}
