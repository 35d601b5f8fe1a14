/**
 * A JSON text that depends only on the value, not on how it was built: object keys are sorted. Used to
 * identify set elements and to break ties, so that every region makes the same choice.
 */
export function canonicalJson(v: unknown, where = 'value'): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${where}: ${v} is not representable in JSON`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x, i) => canonicalJson(x, `${where}[${i}]`)).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    const rec = v as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k], `${where}.${k}`)}`).join(',')}}`;
  }
  throw new TypeError(`${where}: ${typeof v} is not a JSON value`);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of a JSON value with sorted keys, so that equal values are stored byte-identically. */
export function canonicalValue(v: unknown, where = 'value'): unknown {
  return JSON.parse(canonicalJson(v, where));
}
