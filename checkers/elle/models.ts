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
  'update-atomic': ['read-atomic'],
  'read-committed': ['read-uncommitted'],
  'read-uncommitted': [],
};

export const KNOWN_MODELS: readonly string[] = Object.keys(WEAKER);

/**
 * Anomaly a → anomalies it is a case of. The cycle searches name item cycles as Elle does (`G-single-item`, one
 * item anti-dependency; `G-nonadjacent-item`); the general forms (`G-single`, `G1`, `G2`, `write-skew`) are never
 * found directly but are named here so that models and the `anomalies` option can speak of them. A cycle without
 * session or real-time edges trivially is one that may use them (`G0` → `G0-process` → `G0-realtime`).
 */
const IMPLIES: Record<string, readonly string[]> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1-process', 'G1c-realtime'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-nonadjacent-item', 'G-single-item-process'],
  'G-single-item-process': ['G-single-process', 'G-nonadjacent-item-process', 'G-single-item-realtime'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G-nonadjacent-realtime', 'G2-item-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-process': ['G2-realtime'],
  // Elle's reading: an order no single history explains, or an aborted state under committed ones, is a dirty read.
  'incompatible-order': ['G1a'],
  'dirty-update': ['G1a'],
  // A read of the transaction's own later write is a one-transaction wr cycle.
  'future-read': ['G1c'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

/** Model → the anomalies it forbids beyond those of the weaker models it implies. */
const FORBIDS: Record<string, readonly string[]> = {
  'read-uncommitted': ['G0', 'duplicate-elements', 'cyclic-versions'],
  'read-committed': ['G1'],
  'cursor-stability': ['G1', 'lost-update'],
  'consistent-view': ['G1', 'G-single'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'update-atomic': ['lost-update'],
  'repeatable-read': ['G1', 'G2-item', 'lost-update'],
  'snapshot-isolation': ['internal', 'G1', 'G-nonadjacent'],
  serializable: ['internal', 'G1', 'G2'],
  'strong-session-read-uncommitted': ['G0-process'],
  'strong-session-read-committed': ['G1c-process'],
  'strong-read-uncommitted': ['G0-realtime'],
  'strong-read-committed': ['G1c-realtime'],
  'strong-session-snapshot-isolation': ['internal', 'G1-process', 'G-nonadjacent-process'],
  'strong-snapshot-isolation': ['internal', 'G1-realtime', 'G-nonadjacent-realtime'],
  'strong-session-serializable': ['G1-process', 'G2-process'],
  'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime'],
};

const FORBIDDEN_BY: Record<string, string[]> = {};
for (const [m, as] of Object.entries(FORBIDS)) for (const a of as) (FORBIDDEN_BY[a] ??= []).push(m);

/** Every anomaly name the checkers report or the models speak of. */
export const KNOWN_ANOMALIES: readonly string[] = [...new Set([
  ...Object.keys(IMPLIES), ...Object.values(IMPLIES).flat(), ...Object.keys(FORBIDDEN_BY),
  'empty-transaction-graph', 'cycle-search-timeout',
])].sort();

const CYCLE_EXISTS_MODELS = ['PL-1', 'PL-2', 'PL-2.99', 'PL-3', 'PL-SI', 'PL-SS', 'strong-session-PL-1', 'strong-session-PL-2',
  'strong-PL-1', 'strong-PL-2', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation'];

const CYCLE_EXISTS = '-cycle-exists';

/** Elle's canonical (Adya) model names, used in its `<model>-cycle-exists` anomalies, to the names used here. */
const CANONICAL: Record<string, string> = {
  'PL-1': 'read-uncommitted',
  'PL-2': 'read-committed',
  'PL-2.99': 'repeatable-read',
  'PL-3': 'serializable',
  'PL-SI': 'snapshot-isolation',
  'PL-SS': 'strict-serializable',
  'strong-session-PL-1': 'strong-session-read-uncommitted',
  'strong-session-PL-2': 'strong-session-read-committed',
  'strong-PL-1': 'strong-read-uncommitted',
  'strong-PL-2': 'strong-read-committed',
};

/** Other names Elle accepts for the same models: its canonical (Adya) names and a few synonyms. */
const ALIASES: Record<string, string> = {
  ...CANONICAL,
  'strong-serializable': 'strict-serializable',
  'conflict-serializable': 'serializable',
  'PL-CS': 'cursor-stability',
  'PL-2+': 'consistent-view',
};

/** The name used here for a model given by any name Elle accepts (unknown names are returned unchanged). */
export const modelName = (m: string): string => (Object.hasOwn(ALIASES, m) ? ALIASES[m] : m);

/** `M-cycle-exists` (a cycle over M's forbidden relations, found when the typed search ran out of time) rules out M. */
function forbiddenBy(a: string): readonly string[] {
  if (!a.endsWith(CYCLE_EXISTS)) return FORBIDDEN_BY[a] ?? [];
  const m = a.slice(0, -CYCLE_EXISTS.length);
  return [CANONICAL[m] ?? m];
}

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

/**
 * True when a found anomaly fails the check: it rules out one of `models`, or it is (a case of) one of the
 * anomalies asked for, as Elle's `:anomalies` option reads them (asking for G1 catches G1a, G1b, G1c and G0).
 */
export function forbidden(type: string, models: readonly string[], anomalies: readonly string[]): boolean {
  if (violates(type, models)) return true;
  if (anomalies.length === 0) return false;
  const implied = impliedAnomalies([type]);
  return anomalies.some((a) => implied.has(a));
}

export function validateAnomalies(anomalies: readonly string[]): void {
  const unknown = anomalies.filter((a) => !KNOWN_ANOMALIES.includes(a) && !CYCLE_EXISTS_MODELS.some((m) => a === m + CYCLE_EXISTS));
  if (unknown.length > 0) {
    throw new RangeError(`unknown anomaly ${unknown.map((a) => JSON.stringify(a)).join(', ')}; known anomalies: ${KNOWN_ANOMALIES.join(', ')}`);
  }
}

export function validateModels(models: readonly string[]): void {
  const unknown = models.filter((m) => !Object.hasOwn(WEAKER, modelName(m)));
  if (unknown.length > 0) {
    throw new RangeError(`unknown consistency model ${unknown.map((m) => JSON.stringify(m)).join(', ')}; known models: ${KNOWN_MODELS.join(', ')} (or Elle's names: ${Object.keys(ALIASES).join(', ')})`);
  }
}
