/**
 * How deeply a history value may nest. Checkers walk values recursively (canonical JSON, structured clone to worker
 * threads), so a value nested thousands deep would overflow the stack inside a checker; refused on input instead.
 * Real histories nest a few levels (a txn of micro-ops of lists).
 */
export const MAX_VALUE_DEPTH = 100;

/** Whether `v` nests arrays/objects deeper than `max`; iterative, so any depth is measured safely. */
export function nestsDeeperThan(v: unknown, max: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (d > max) return true;
    const children = Array.isArray(x) ? x : Object.values(x as object);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}
