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

/** True when two canonical values (canonicalValue) have the same canonical JSON text; false may also mean "not canonical". */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameJson((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The value as JSON.parse(canonicalJson(v)) would give it: object keys inserted in sorted order, -0 as 0.
 * Without the text round trip: a value already in that shape (what a peer or Redis sends) is returned as is,
 * since states are never mutated, and any other is copied with its keys sorted.
 */
export function canonicalValue(v: unknown, where = 'value'): unknown {
  return isCanonical(v, where) ? v : sortedCopy(v, where);
}

/** Throws like canonicalJson on what JSON cannot carry; false when a copy is needed. */
function isCanonical(v: unknown, where: string): boolean {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${where}: ${v} is not representable in JSON`);
    return !Object.is(v, -0);
  }
  if (Array.isArray(v)) {
    let ok = true;
    for (let i = 0; i < v.length; i++) if (!isCanonical(v[i], `${where}[${i}]`)) ok = false;
    return ok;
  }
  if (typeof v === 'object') {
    let ok = true;
    let prev: string | undefined;
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (!isCanonical(rec[k], `${where}.${k}`)) ok = false;
      // Array-index keys always enumerate first, in numeric order, however they were inserted; the rest must
      // be in the order a sorted insertion leaves them.
      if (isIndexKey(k)) continue;
      if (prev !== undefined && !(prev < k)) ok = false;
      prev = k;
    }
    return ok;
  }
  throw new TypeError(`${where}: ${typeof v} is not a JSON value`);
}

function sortedCopy(v: unknown, where: string): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x, i) => sortedCopy(x, `${where}[${i}]`));
  const rec = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec).sort()) {
    // An own "__proto__" key (JSON.parse makes one) must stay a key, not become the prototype.
    Object.defineProperty(out, k, { value: sortedCopy(rec[k], `${where}.${k}`), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const MAX_INDEX = 2 ** 32 - 2;

function isIndexKey(k: string): boolean {
  if (k.length === 0) return false;
  const c = k.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return false;
  if (k.length > 1 && c === 0x30) return false;
  for (let i = 1; i < k.length; i++) {
    const d = k.charCodeAt(i);
    if (d < 0x30 || d > 0x39) return false;
  }
  return Number(k) <= MAX_INDEX;
}
