/**
 * The state shared by mv-register and siblings: the writes that no other write has seen, i.e. the
 * maximal elements by vector clock. Keeping the maximal elements of a union is a join, so replicas agree
 * on exactly which concurrent writes survive; they differ only in how they present them (read()).
 */
import { compareVersions, parseVersion, type Version } from '../clock/version.ts';
import { parseVClock, vcCompare, type VClock } from '../clock/vclock.ts';
import { canonicalJson, canonicalValue, compareStrings } from './canonical-json.ts';
import { asArray, asBoolean, asRecord, present } from './parse-helpers.ts';
import type { Ctx } from './types.ts';
import { copyVersion } from './winner.ts';

export interface ConcurrentWrite {
  value: unknown;
  deleted: boolean;
  version: Version;
  clock: VClock;
}

export interface ConcurrentWritesState {
  /** Maximal writes, sorted by version (then content, so duplicates from a buggy peer sort stably). */
  writes: ConcurrentWrite[];
}

export function singleWrite(value: unknown, deleted: boolean, ctx: Ctx): ConcurrentWritesState {
  return { writes: [{ value: canonicalValue(value), deleted, version: copyVersion(ctx.version), clock: ctx.vclock }] };
}

export function mergeConcurrent(a: ConcurrentWritesState, b: ConcurrentWritesState): ConcurrentWritesState {
  return mergeWrites(a, b, (o, w) => vcCompare(o.clock, w.clock) === 'after');
}

/**
 * The mv-register-drops-sibling calibration bug: a write counts as overwritten by any write it did not see
 * (concurrent as well as later) with a higher version, so of two concurrent writes only the later survives a merge.
 */
export function mergeDroppingSibling(a: ConcurrentWritesState, b: ConcurrentWritesState): ConcurrentWritesState {
  return mergeWrites(a, b, (o, w) => {
    const c = vcCompare(o.clock, w.clock);
    return c === 'after' || (c === 'concurrent' && compareVersions(o.version, w.version) > 0);
  });
}

function mergeWrites(a: ConcurrentWritesState, b: ConcurrentWritesState, supersedes: (o: ConcurrentWrite, w: ConcurrentWrite) => boolean): ConcurrentWritesState {
  const byContent = new Map<string, ConcurrentWrite>();
  for (const w of [...a.writes, ...b.writes]) byContent.set(canonicalJson(w), w);
  const all = [...byContent];
  const maximal = all.filter(([, w]) => !all.some(([, o]) => supersedes(o, w)));
  maximal.sort(([ka, wa], [kb, wb]) => compareVersions(wa.version, wb.version) || compareStrings(ka, kb));
  return { writes: maximal.map(([, w]) => w) };
}

export function liveValues(s: ConcurrentWritesState): unknown[] {
  return s.writes.filter((w) => !w.deleted).map((w) => w.value);
}

export function parseConcurrent(x: unknown, where: string): ConcurrentWritesState {
  const r = asRecord(x, where);
  const writes = asArray(present(r, 'writes', where), `${where}.writes`).map((raw, i) => {
    const at = `${where}.writes[${i}]`;
    const w = asRecord(raw, at);
    return {
      value: canonicalValue(present(w, 'value', at), `${at}.value`),
      deleted: asBoolean(present(w, 'deleted', at), `${at}.deleted`),
      version: parseVersion(present(w, 'version', at), `${at}.version`),
      clock: parseVClock(present(w, 'clock', at), `${at}.clock`),
    };
  });
  return mergeConcurrent({ writes }, { writes: [] });
}
