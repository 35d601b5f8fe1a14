/**
 * Add-wins observed-remove set with dots, not timestamps. Every add gets a fresh dot (region, n); a
 * remove drops the dots the remover has seen; the causal context `clock` remembers every dot a replica
 * has seen, so a dot missing from one side of a merge is either new (keep it) or removed (drop it).
 * An add concurrent with a remove carries a dot the remover never saw, so the add wins.
 */
import { parseVClock, vcMerge, type VClock } from '../clock/vclock.ts';
import { assertRegionName } from '../clock/region.ts';
import { canonicalJson, canonicalValue, compareStrings } from './canonical-json.ts';
import { asArray, asRecord, present } from './parse-helpers.ts';
import { wrongType, type Crdt } from './types.ts';

export type Dot = [region: string, n: number];

export interface OrSetState {
  clock: VClock;
  /** [element, its live dots], sorted by the element's canonical JSON; dots sorted too. */
  entries: [element: unknown, dots: Dot[]][];
}

interface Entry {
  element: unknown;
  dots: Map<string, Dot>;
}

const dotKey = (d: Dot) => `${d[0]}#${d[1]}`;
const seenBy = (clock: VClock, d: Dot) => (clock[d[0]] ?? 0) >= d[1];

function toMap(s: OrSetState): Map<string, Entry> {
  return new Map(s.entries.map(([element, dots]) => [canonicalJson(element), { element, dots: new Map(dots.map((d) => [dotKey(d), d])) }]));
}

function fromMap(clock: VClock, m: Map<string, Entry>): OrSetState {
  const entries = [...m]
    .filter(([, e]) => e.dots.size > 0)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, e]): [unknown, Dot[]] => [e.element, [...e.dots].sort(([a], [b]) => compareDots(a, b)).map(([, d]) => d)]);
  return { clock, entries };
}

/**
 * The join: per element, a dot on one side only survives unless the other side has seen it (and so removed it).
 * `removeWins` is the or-set-remove-wins calibration bug: an element one side lacks, after seeing any of its dots,
 * is dropped whole, so a remove also erases concurrent adds it never saw.
 */
function mergeOrSets(a: OrSetState, b: OrSetState, removeWins: boolean): OrSetState {
  const ma = toMap(a);
  const mb = toMap(b);
  const out = new Map<string, Entry>();
  for (const key of new Set([...ma.keys(), ...mb.keys()])) {
    const ea = ma.get(key);
    const eb = mb.get(key);
    const dots = new Map<string, Dot>();
    const removedBy = (clock: VClock, e: Entry | undefined) => removeWins && e !== undefined && [...e.dots.values()].some((d) => seenBy(clock, d));
    if (!(ea === undefined && removedBy(a.clock, eb)) && !(eb === undefined && removedBy(b.clock, ea))) {
      for (const [k, d] of ea?.dots ?? []) if (eb?.dots.has(k) || !seenBy(b.clock, d)) dots.set(k, d);
      for (const [k, d] of eb?.dots ?? []) if (ea?.dots.has(k) || !seenBy(a.clock, d)) dots.set(k, d);
    }
    out.set(key, { element: (ea ?? eb)!.element, dots });
  }
  return fromMap(vcMerge(a.clock, b.clock), out);
}

export const mergeRemoveWins = (a: OrSetState, b: OrSetState): OrSetState => mergeOrSets(a, b, true);

/**
 * What an add or remove of `element` did to the set's dots, for the write reply: the dot an add created (absent for
 * a remove) and the element's dots it replaced or removed, i.e. the adds this operation causally covers.
 */
export function orSetEffect(before: OrSetState | undefined, after: OrSetState, element: unknown): { dot?: Dot; covered: Dot[] } {
  const key = canonicalJson(element);
  const find = (s: OrSetState | undefined) => s?.entries.find(([e]) => canonicalJson(e) === key)?.[1] ?? [];
  const old = find(before);
  const oldKeys = new Set(old.map(dotKey));
  const fresh = find(after).filter((d) => !oldKeys.has(dotKey(d)));
  return { ...(fresh.length === 1 ? { dot: fresh[0] } : {}), covered: old };
}

function compareDots(a: string, b: string): number {
  const [ra, na] = a.split('#');
  const [rb, nb] = b.split('#');
  return compareStrings(ra, rb) || Number(na) - Number(nb);
}

export const orSet: Crdt<OrSetState> = {
  strategy: 'or-set',
  apply(state, op, ctx) {
    if (op.op !== 'add' && op.op !== 'remove') return wrongType('or-set', op);
    const s = state ?? { clock: {}, entries: [] };
    const m = toMap(s);
    const key = canonicalJson(op.element, 'element');
    if (op.op === 'remove') {
      m.delete(key);
      return { ok: true, state: fromMap(s.clock, m) };
    }
    const dot: Dot = [ctx.region, (s.clock[ctx.region] ?? 0) + 1];
    // The new dot replaces the element's observed dots: a later remove then only needs to see this one.
    m.set(key, { element: canonicalValue(op.element), dots: new Map([[dotKey(dot), dot]]) });
    return { ok: true, state: fromMap(vcMerge(s.clock, { [dot[0]]: dot[1] }), m) };
  },
  merge: (a, b) => mergeOrSets(a, b, false),
  read: (s) => ({ value: s.entries.map(([e]) => e) }),
  conflicted: () => false,
  parse(x, where) {
    const r = asRecord(x, where);
    const clock = parseVClock(present(r, 'clock', where), `${where}.clock`);
    const m = new Map<string, Entry>();
    asArray(present(r, 'entries', where), `${where}.entries`).forEach((raw, i) => {
      const at = `${where}.entries[${i}]`;
      const pair = asArray(raw, at);
      if (pair.length !== 2) throw new TypeError(`${at}: expected [element, dots]`);
      const element = canonicalValue(pair[0], `${at}[0]`);
      const key = canonicalJson(element);
      if (m.has(key)) throw new TypeError(`${at}: element ${key} appears twice`);
      const dots = new Map<string, Dot>();
      asArray(pair[1], `${at}[1]`).forEach((rd, j) => {
        const d = parseDot(rd, `${at}[1][${j}]`);
        if (!seenBy(clock, d)) throw new TypeError(`${at}[1][${j}]: dot ${dotKey(d)} is not covered by ${where}.clock`);
        dots.set(dotKey(d), d);
      });
      m.set(key, { element, dots });
    });
    return fromMap(clock, m);
  },
};

function parseDot(x: unknown, where: string): Dot {
  const d = asArray(x, where);
  const [r, n] = d;
  assertRegionName(r, where);
  if (d.length !== 2 || !Number.isSafeInteger(n) || (n as number) < 1) {
    throw new TypeError(`${where}: expected [region, positive integer], got ${JSON.stringify(x)}`);
  }
  return [r, n as number];
}
