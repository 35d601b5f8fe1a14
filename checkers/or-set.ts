import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { valueKey } from './value-key.ts';

export interface OrSetOptions {
  /** Cap on listed anomalies per kind; counts are always complete. */
  maxReported?: number;
  /**
   * Reads see the acknowledged writes of their own region (true of the layer's normal tier, not of a cache): then
   * an add no operation ever covered must show in every later read in the region it was made in, not only at the end.
   */
  readsSeeLocalWrites?: boolean;
}

/**
 * What an acknowledged add or remove reports about causality (`meta.orset`, layer/API.md): the dot an add created,
 * and the element's dots the operation observed and replaced (add) or removed (remove).
 */
interface Effect { dot?: string; covered: string[] }

interface Write { p: OpPair; effect?: Effect }

interface ElementFacts {
  /** Acknowledged adds, with their dots. */
  adds: Write[];
  /** Acknowledged removes. */
  removes: Write[];
  /** An add or remove whose outcome is unknown: it may have happened, with effects nobody reported. */
  maybeAdded: OpPair[];
  maybeRemoved: OpPair[];
}

const SET_FS = new Set(['add', 'remove', 'read']);
const keyOf = (op: IndexedOp): string => op.key ?? '(no key)';
/** Elements compare by their JSON text, so 1 and "1" stay distinct. */
const line = (p: OpPair): number => (p.complete ?? p.invoke).line;

function parseDot(x: unknown): string | undefined {
  if (!Array.isArray(x) || x.length !== 2 || typeof x[0] !== 'string' || !Number.isSafeInteger(x[1])) return undefined;
  return `${x[0]}#${x[1]}`;
}

/** `meta.orset` of an acknowledged add/remove, or undefined when it is missing or malformed. */
function effectOf(p: OpPair): Effect | undefined {
  const raw = p.complete?.meta?.orset as { dot?: unknown; covered?: unknown } | undefined;
  if (typeof raw !== 'object' || raw === null || !Array.isArray(raw.covered)) return undefined;
  const covered = raw.covered.map(parseDot);
  if (covered.some((d) => d === undefined)) return undefined;
  const dot = raw.dot === undefined ? undefined : parseDot(raw.dot);
  if (p.invoke.f === 'add' && dot === undefined) return undefined;
  return { ...(dot ? { dot } : {}), covered: covered as string[] };
}

const overlap = (a: OpPair, b: OpPair): boolean =>
  a.invoke.index < (b.complete?.index ?? Infinity) && b.invoke.index < (a.complete?.index ?? Infinity);

/**
 * Add-wins observed-remove set semantics (CHECKERS §4.3), per key and element. Each acknowledged add names its dot
 * and each acknowledged add or remove names the element's dots it causally covered (observed, then replaced or
 * removed). An element must be present in a region's final read iff some acknowledged add's dot is covered by no
 * acknowledged operation; operations of unknown outcome may have happened, so an info add excuses presence (and
 * absence: it may have replaced live dots by one a remove covered) and an info remove excuses absence. Anomalies:
 * - `lost`: a final read lacks an element with an uncovered add (a remove erased an add it never saw, or the add
 *   never arrived); with `readsSeeLocalWrites`, also any read in the add's own region after the add completed;
 * - `resurrected`: a final read shows an element all of whose adds were covered by removes;
 * - `unexpected`: any read shows an element no add (acknowledged or unknown) had been invoked for before the read
 *   completed;
 * - `bad-dots`: an operation covered a dot that no add of the element created, or an add invoked after it completed.
 * `concurrentAddRemove` counts overlapping add/remove pairs of one element where the remove did not cover the add:
 * the case add-wins decides, so the figure says whether the run exercised it.
 */
export function checkOrSet(history: readonly IndexedOp[], opts: OrSetOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const pairs = pairOps(history).filter((p) => p.invoke.meta?.probe !== true && SET_FS.has(p.invoke.f));
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairs) {
    const k = keyOf(p.invoke);
    let xs = byKey.get(k);
    if (!xs) byKey.set(k, (xs = []));
    xs.push(p);
  }
  const counts = { keys: 0, elements: 0, judged: 0, present: 0, absent: 0, lost: 0, resurrected: 0, unexpected: 0, badDots: 0, concurrentAddRemove: 0, finalReads: 0 };
  const listed: Record<'lost' | 'resurrected' | 'unexpected' | 'badDots', unknown[]> = { lost: [], resurrected: [], unexpected: [], badDots: [] };
  const list = (kind: keyof typeof listed, x: unknown) => {
    if (listed[kind].length < maxReported) listed[kind].push(x);
  };
  const unchecked = new Set<string>();

  for (const [key, ps] of byKey) {
    if (!ps.some((p) => p.invoke.f === 'add')) continue;
    counts.keys++;
    const facts = new Map<string, ElementFacts>();
    const factsOf = (e: string) => {
      let f = facts.get(e);
      if (!f) facts.set(e, (f = { adds: [], removes: [], maybeAdded: [], maybeRemoved: [] }));
      return f;
    };
    /** Index of the first add invocation per element, for `unexpected`. */
    const firstAdd = new Map<string, number>();
    const noMeta = new Set<string>();
    for (const p of ps) {
      if (p.invoke.f === 'read') continue;
      const e = valueKey(p.invoke.value);
      const f = factsOf(e);
      if (p.invoke.f === 'add' && p.type !== 'fail' && !firstAdd.has(e)) firstAdd.set(e, p.invoke.index);
      if (p.type === 'info') (p.invoke.f === 'add' ? f.maybeAdded : f.maybeRemoved).push(p);
      if (p.type !== 'ok') continue;
      const effect = effectOf(p);
      if (!effect) noMeta.add(e);
      (p.invoke.f === 'add' ? f.adds : f.removes).push({ p, effect });
    }
    for (const e of noMeta) unchecked.add(`key ${key} element ${e}: an acknowledged add/remove without meta.orset; add-wins not judged for it`);

    /** Per element: dots still live, and the adds that created them. */
    const live = new Map<string, Write[]>();
    for (const [e, f] of facts) {
      if (noMeta.has(e)) continue;
      const byDot = new Map(f.adds.map((w) => [w.effect!.dot!, w]));
      const covered = new Set<string>();
      for (const w of [...f.adds, ...f.removes]) {
        for (const d of w.effect!.covered) {
          covered.add(d);
          const add = byDot.get(d);
          const problem = add === undefined
            ? f.maybeAdded.length === 0 ? 'covers a dot no add of the element created' : undefined
            : add.p.invoke.index > (w.p.complete?.index ?? Infinity) ? `covers the dot of an add invoked after it completed (line ${add.p.invoke.line})` : undefined;
          if (problem) {
            counts.badDots++;
            list('badDots', { key, element: JSON.parse(e), line: line(w.p), dot: d, problem });
          }
        }
      }
      live.set(e, f.adds.filter((w) => !covered.has(w.effect!.dot!)));
      for (const r of f.removes) {
        const saw = new Set(r.effect!.covered);
        for (const a of f.adds) if (!saw.has(a.effect!.dot!) && overlap(a.p, r.p)) counts.concurrentAddRemove++;
      }
    }

    const finals = new Map<string, OpPair>();
    for (const p of ps) {
      if (p.invoke.f !== 'read' || p.type !== 'ok') continue;
      const value = p.complete!.value;
      const elems = (Array.isArray(value) ? value : []).map(valueKey);
      for (const e of elems) {
        const first = firstAdd.get(e);
        if (first === undefined || first > p.complete!.index) {
          counts.unexpected++;
          list('unexpected', { key, element: JSON.parse(e), line: line(p), region: p.complete?.region ?? p.invoke.region });
        }
      }
      if (p.invoke.meta?.final === true) finals.set(p.complete?.region ?? p.invoke.region ?? '(no region)', p);
      else if (opts.readsSeeLocalWrites) {
        // An uncovered dot can never be removed legitimately, so once its region holds it, it stays there.
        const region = p.complete?.region ?? p.invoke.region;
        const shown = new Set(elems);
        for (const [e, f] of facts) {
          if (shown.has(e) || f.maybeAdded.length > 0 || f.maybeRemoved.length > 0) continue;
          const held = live.get(e)?.find((w) => (w.p.complete?.region ?? w.p.invoke.region) === region && w.p.complete!.index < p.invoke.index);
          if (!held) continue;
          counts.lost++;
          list('lost', { key, element: JSON.parse(e), region, line: line(p), uncoveredAdds: [line(held.p)], during: true });
        }
      }
    }
    counts.finalReads += finals.size;
    counts.elements += facts.size;
    for (const [region, p] of finals) {
      const shown = new Set((Array.isArray(p.complete!.value) ? p.complete!.value : []).map(valueKey));
      for (const [e, f] of facts) {
        const l = live.get(e);
        if (l === undefined) continue;
        const present = shown.has(e);
        counts.judged++;
        counts[present ? 'present' : 'absent']++;
        // An add of unknown outcome may have replaced live dots with one a remove then covered, so it excuses absence too.
        if (!present && l.length > 0 && f.maybeRemoved.length === 0 && f.maybeAdded.length === 0) {
          counts.lost++;
          list('lost', { key, element: JSON.parse(e), region, line: line(p), uncoveredAdds: l.map((w) => line(w.p)) });
        } else if (present && l.length === 0 && f.maybeAdded.length === 0 && f.adds.length > 0) {
          counts.resurrected++;
          list('resurrected', { key, element: JSON.parse(e), region, line: line(p), removes: f.removes.map((w) => line(w.p)) });
        }
      }
    }
  }

  const anomalies = counts.lost + counts.resurrected + counts.unexpected + counts.badDots;
  let valid: Validity = true;
  let reason: string;
  if (anomalies > 0) {
    valid = false;
    reason = (['lost', 'resurrected', 'unexpected', 'badDots'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`).join(', ');
  } else if (counts.keys === 0) {
    valid = 'unknown';
    reason = 'no set key with adds to judge';
  } else if (counts.judged === 0) {
    valid = 'unknown';
    reason = counts.finalReads === 0 ? 'no final reads to judge the set contents on' : 'no element could be judged (operations lack meta.orset)';
  } else {
    reason = `add-wins held: ${counts.judged} element×region final states judged, ${counts.concurrentAddRemove} concurrent add/remove pairs`;
  }
  return { valid, reason, counts, ...listed, ...(unchecked.size ? { unchecked: [...unchecked].slice(0, maxReported) } : {}) };
}

export function orSetChecker(opts: OrSetOptions = {}): Checker {
  return { name: 'or-set', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkOrSet(history, opts) };
}
