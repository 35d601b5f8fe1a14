/**
 * A write's version: when (HLC), where (origin region) and which entry of the origin's log (seq).
 * Versions are totally ordered so that every region resolves LWW the same way, and they have a string
 * form whose plain lexicographic order is that same order, so Redis sorted sets and string compares work.
 */
import { compareHlc, parseHlc, MAX_LOGICAL, type Hlc } from './hlc.ts';
import { assertRegionName, isRegionName } from './region.ts';

export interface Version {
  hlc: Hlc;
  region: string;
  seq: number;
}

export function compareVersions(a: Version, b: Version): number {
  const byHlc = compareHlc(a.hlc, b.hlc);
  if (byHlc !== 0) return byHlc;
  if (a.region !== b.region) return a.region < b.region ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function maxVersion(a: Version, b: Version): Version {
  return compareVersions(a, b) >= 0 ? a : b;
}

// Fixed-width digits keep numeric order under string compare; the region ends with '!', which sorts
// below every character a region may contain, so a shorter region that prefixes a longer one sorts first.
const WALL_DIGITS = 16;
const LOGICAL_DIGITS = String(MAX_LOGICAL).length;
const SEQ_DIGITS = 16;
const TOKEN = new RegExp(`^(\\d{${WALL_DIGITS}})\\.(\\d{${LOGICAL_DIGITS}})\\.([^!]+)!(\\d{${SEQ_DIGITS}})$`);

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function versionToken(v: Version): string {
  const hlc = parseHlc(v.hlc, 'versionToken: hlc');
  assertRegionName(v.region, 'versionToken');
  if (!Number.isSafeInteger(v.seq) || v.seq < 0) {
    throw new TypeError(`versionToken: seq must be a non-negative integer (got ${JSON.stringify(v.seq)})`);
  }
  return `${pad(hlc.wall, WALL_DIGITS)}.${pad(hlc.logical, LOGICAL_DIGITS)}.${v.region}!${pad(v.seq, SEQ_DIGITS)}`;
}

export function parseVersionToken(s: string): Version {
  const m = typeof s === 'string' ? TOKEN.exec(s) : null;
  if (!m || !isRegionName(m[3])) {
    throw new TypeError(
      `malformed version token ${JSON.stringify(s)}: expected <${WALL_DIGITS}-digit wall>.<${LOGICAL_DIGITS}-digit logical>.<region>!<${SEQ_DIGITS}-digit seq>`,
    );
  }
  const hlc = parseHlc({ wall: Number(m[1]), logical: Number(m[2]) }, `version token ${JSON.stringify(s)}`);
  const seq = Number(m[4]);
  if (!Number.isSafeInteger(seq)) throw new TypeError(`version token ${JSON.stringify(s)}: seq out of range`);
  return { hlc, region: m[3], seq };
}

/** Validates untrusted input (Redis, replication) into a Version; `where` names the field in the error. */
export function parseVersion(x: unknown, where: string): Version {
  if (typeof x !== 'object' || x === null) throw new TypeError(`${where}: expected a version object, got ${JSON.stringify(x)}`);
  const { hlc, region, seq } = x as Record<string, unknown>;
  assertRegionName(region, `${where}.region`);
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) {
    throw new TypeError(`${where}.seq: expected a non-negative integer, got ${JSON.stringify(seq)}`);
  }
  return { hlc: parseHlc(hlc, `${where}.hlc`), region, seq: seq as number };
}
