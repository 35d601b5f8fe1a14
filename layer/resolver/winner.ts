/**
 * The state shared by the single-winner strategies (lww, lww-register, reject): the one write that wins
 * by version order, plus the join of every write's clock. Keeping that join is what lets the state say,
 * as a pure function of itself, whether some write was concurrent with the winner and lost.
 */
import { compareVersions, parseVersion, type Version } from '../clock/version.ts';
import { compareHlc } from '../clock/hlc.ts';
import { parseVClock, vcCompare, vcDominates, vcMerge, type VClock } from '../clock/vclock.ts';
import { canonicalJson, canonicalValue, compareStrings, sameJson } from './canonical-json.ts';
import { asBoolean, asRecord, present } from './parse-helpers.ts';
import type { Ctx } from './types.ts';

export interface WinnerState {
  value: unknown;
  deleted: boolean;
  version: Version;
  clock: VClock;
  seen: VClock;
}

export type Prefer = 'latest' | 'earliest';

export function writeOf(value: unknown, deleted: boolean, ctx: Ctx): WinnerState {
  return { value: canonicalValue(value), deleted, version: copyVersion(ctx.version), clock: ctx.vclock, seen: ctx.vclock };
}

// Two distinct writes never share a version; the content tie-break only makes a buggy peer's
// duplicate version resolve the same way everywhere instead of by delivery order.
function order(a: WinnerState, b: WinnerState): number {
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  // The same write met again (a redelivery, a re-seed): equal content, without building the two texts.
  if (a.deleted === b.deleted && vcCompare(a.clock, b.clock) === 'equal' && sameJson(a.value, b.value)) return 0;
  return compareStrings(contentKey(a), contentKey(b));
}

const contentKey = (s: WinnerState) => canonicalJson({ value: s.value, deleted: s.deleted, clock: s.clock });

/**
 * `keepLocalOnTie` is the tie-break-local calibration bug: two writes with the same HLC are not ordered by origin
 * region; the side already held (`a`, the receiving region's state) is kept, so each region keeps its own write.
 */
export function mergeWinner(a: WinnerState, b: WinnerState, prefer: Prefer, keepLocalOnTie = false): WinnerState {
  const c = keepLocalOnTie && compareHlc(a.version.hlc, b.version.hlc) === 0 ? (prefer === 'latest' ? 1 : -1) : order(a, b);
  const w = prefer === 'latest' ? (c >= 0 ? a : b) : c <= 0 ? a : b;
  return { value: w.value, deleted: w.deleted, version: w.version, clock: w.clock, seen: vcMerge(a.seen, b.seen) };
}

export function winnerConflicted(s: WinnerState): boolean {
  return !vcDominates(s.clock, s.seen);
}

export function parseWinner(x: unknown, where: string): WinnerState {
  const r = asRecord(x, where);
  const clock = parseVClock(present(r, 'clock', where), `${where}.clock`);
  const seen = parseVClock(present(r, 'seen', where), `${where}.seen`);
  if (!vcDominates(seen, clock)) throw new TypeError(`${where}.seen: must include the winner's clock`);
  return {
    value: canonicalValue(present(r, 'value', where), `${where}.value`),
    deleted: asBoolean(present(r, 'deleted', where), `${where}.deleted`),
    version: parseVersion(present(r, 'version', where), `${where}.version`),
    clock,
    seen,
  };
}

export function copyVersion(v: Version): Version {
  return { hlc: { wall: v.hlc.wall, logical: v.hlc.logical }, region: v.region, seq: v.seq };
}
