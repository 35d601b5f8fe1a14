/** Small validators for states read back from Redis or received from a peer. */
export function asRecord(x: unknown, where: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where}: expected an object, got ${JSON.stringify(x)}`);
  }
  return x as Record<string, unknown>;
}

export function asArray(x: unknown, where: string): unknown[] {
  if (!Array.isArray(x)) throw new TypeError(`${where}: expected an array, got ${JSON.stringify(x)}`);
  return x;
}

export function asBoolean(x: unknown, where: string): boolean {
  if (typeof x !== 'boolean') throw new TypeError(`${where}: expected a boolean, got ${JSON.stringify(x)}`);
  return x;
}

export function asString(x: unknown, where: string): string {
  if (typeof x !== 'string') throw new TypeError(`${where}: expected a string, got ${JSON.stringify(x)}`);
  return x;
}

export function present(rec: Record<string, unknown>, field: string, where: string): unknown {
  if (!Object.hasOwn(rec, field)) throw new TypeError(`${where}.${field}: missing`);
  return rec[field];
}
