import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';

export interface RegisterVersionsOptions {
  /** Cap on listed mismatches; the count is always complete. */
  maxReported?: number;
}

const ek = (e: unknown): string => (typeof e === 'number' && Number.isFinite(e) ? String(e) : JSON.stringify(e) ?? 'null');
const line = (p: OpPair): number => (p.complete ?? p.invoke).line;
const versionOf = (p: OpPair): string | undefined => {
  const v = p.complete?.meta?.version;
  return typeof v === 'string' ? v : undefined;
};

/**
 * Last-writer-wins registers with unique written values, where every acknowledged write and read reports its
 * version token (`meta.version`) and the version order is the order writes win in. A read must then show the value
 * of the very write whose version it reports: the winner is the highest version. A read whose value was written with
 * another version shows a write that lost by version and still won in that region, which is how a tie-break or merge
 * that disagrees with the version order shows, in any read, long before final reads could.
 *
 * Keys whose writes are blind `write`s only (no cas, no removes) are judged; reads of values written by operations of
 * unknown outcome (no version reported) and reads of the initial null are skipped.
 */
export function checkRegisterVersions(history: readonly IndexedOp[], opts: RegisterVersionsOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairOps(history)) {
    if (p.invoke.meta?.probe === true || p.invoke.key === undefined) continue;
    let xs = byKey.get(p.invoke.key);
    if (!xs) byKey.set(p.invoke.key, (xs = []));
    xs.push(p);
  }
  let judged = 0;
  let mismatches = 0;
  const listed: unknown[] = [];
  const unchecked: string[] = [];
  for (const [key, ps] of byKey) {
    if (!ps.some((p) => p.invoke.f === 'write') || ps.some((p) => p.invoke.f !== 'write' && p.invoke.f !== 'read')) continue;
    const written = new Map<string, { version: string; p: OpPair }>();
    let unversioned = false;
    for (const p of ps) {
      if (p.invoke.f !== 'write' || p.type !== 'ok') continue;
      const v = versionOf(p);
      if (v === undefined) unversioned = true;
      else written.set(ek(p.invoke.value), { version: v, p });
    }
    if (unversioned) {
      unchecked.push(`key ${key}: acknowledged writes without meta.version; not judged`);
      continue;
    }
    for (const p of ps) {
      if (p.invoke.f !== 'read' || p.type !== 'ok') continue;
      const got = versionOf(p);
      const w = written.get(ek(p.complete!.value));
      if (got === undefined || w === undefined) continue;
      judged++;
      if (got === w.version) continue;
      if (mismatches++ < maxReported) {
        listed.push({ key, line: line(p), region: p.complete?.region ?? p.invoke.region, value: p.complete!.value, version: got, writtenWith: w.version, write: line(w.p) });
      }
    }
  }
  let valid: Validity = true;
  let reason: string;
  if (mismatches > 0) {
    valid = false;
    reason = `${mismatches} reads show a value other than the winner of the version they report`;
  } else if (judged === 0) {
    valid = 'unknown';
    reason = 'no read of a versioned register write to judge';
  } else reason = `${judged} reads show the write of the version they report`;
  return { valid, reason, judged, mismatches: listed, ...(unchecked.length ? { unchecked } : {}) };
}

export function registerVersionsChecker(opts: RegisterVersionsOptions = {}): Checker {
  return { name: 'register-versions', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkRegisterVersions(history, opts) };
}
