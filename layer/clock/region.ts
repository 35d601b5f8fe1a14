/**
 * Region names appear inside version tokens and as vector-clock keys. The charset is restricted so that
 * a token's lexicographic order can equal version order: every allowed character sorts above the '!'
 * that ends the region inside a token, and none of them can smuggle in '__proto__'-style object keys.
 */
export const REGION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isRegionName(s: unknown): s is string {
  return typeof s === 'string' && REGION_PATTERN.test(s);
}

export function assertRegionName(s: unknown, where: string): asserts s is string {
  if (!isRegionName(s)) {
    throw new TypeError(`${where}: region must match ${REGION_PATTERN} (got ${JSON.stringify(s)})`);
  }
}
