import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp, OpPair } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { faultWindows } from './availability.ts';
import { admissibleFinals, inIntervals } from './counter.ts';
import { summarizeLatencies } from './stats.ts';
import { catchUpFinding, describeCatchUp } from './catch-up.ts';

export interface ConvergenceOptions {
  /** Regions that must serve final reads; defaults to every region the history's client operations name. */
  regions?: readonly string[];
  /** Cap on listed keys per kind of finding; counts are complete. */
  maxReported?: number;
  /**
   * Which write of a register survives concurrent writes: the latest by version (last-writer-wins, the default), or
   * the earliest (write-once keys).
   */
  registerWins?: 'latest' | 'earliest';
}

type KeyKind = 'set' | 'list' | 'counter' | 'register' | 'map';

/** JSON text with object keys sorted, so equal values compare equal whatever order a server emitted fields in. */
export function canonical(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Equal states: sets ignore element order, a counter's absent key is 0. */
function stateOf(kind: KeyKind, v: unknown): string {
  if (kind === 'set' && Array.isArray(v)) return canonical(v.map(canonical).sort());
  if (kind === 'set' && v === null) return '[]';
  if (kind === 'counter' && v === null) return '0';
  // A map's set fields, like sets, ignore element order.
  if (kind === 'map' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return canonical(Object.fromEntries(Object.entries(v).map(([f, x]) => [f, Array.isArray(x) ? x.map(canonical).sort() : x])));
  }
  return canonical(v);
}

function kindOf(fs: ReadonlySet<string>): KeyKind {
  if (fs.has('map-update')) return 'map';
  if (fs.has('add') || fs.has('remove')) return 'set';
  if (fs.has('append')) return 'list';
  if (fs.has('incr')) return 'counter';
  return 'register';
}

interface FinalRead { region: string; line: number; value: unknown; state: string; version?: string; vclock?: string; siblings?: unknown[] }

const isProbe = (op: IndexedOp): boolean => op.meta?.probe === true;
const isFinal = (p: OpPair): boolean => p.invoke.meta?.final === true || p.complete?.meta?.final === true;
const regionOf = (p: OpPair): string | undefined => p.complete?.region ?? p.invoke.region;

/** Why the agreed final state of a key could not be the result of the operations that took effect, or undefined. */
function inadmissible(kind: KeyKind, ps: readonly OpPair[], finals: readonly FinalRead[], wins: 'latest' | 'earliest'): string | undefined {
  const value = finals[0].value;
  // Each field's final state is judged by its own type in the map checker (checkers/map.ts); here maps only agree.
  if (kind === 'map') return undefined;
  if (kind === 'counter') {
    let ok = 0;
    const info: number[] = [];
    for (const p of ps) {
      if (p.invoke.f !== 'incr' || typeof p.invoke.value !== 'number') continue;
      if (p.type === 'ok') ok += p.invoke.value;
      else if (p.type === 'info') info.push(p.invoke.value);
    }
    const v = value === null ? 0 : value;
    if (typeof v !== 'number' || !inIntervals(admissibleFinals(ok, info).intervals, v)) {
      return `counter value ${canonical(value)} is not the ok increments (${ok}) plus any subset of the ${info.length} indeterminate ones`;
    }
    return undefined;
  }
  if (kind === 'set' || kind === 'list') {
    const grow = kind === 'set' ? 'add' : 'append';
    const elems = new Set((Array.isArray(value) ? value : []).map(canonical));
    const attempted = new Set<string>();
    const acked: string[] = [];
    let removes = false;
    for (const p of ps) {
      if (p.invoke.f === 'remove') removes = true;
      if (p.invoke.f !== grow || p.type === 'fail') continue;
      attempted.add(canonical(p.invoke.value));
      if (p.type === 'ok') acked.push(canonical(p.invoke.value));
    }
    const extra = [...elems].filter((e) => !attempted.has(e));
    if (extra.length) return `${kind} holds elements never successfully attempted: ${extra.slice(0, 10).join(', ')}`;
    const missing = removes ? [] : acked.filter((e) => !elems.has(e));
    if (missing.length) return `${kind} lacks acknowledged elements: ${missing.slice(0, 10).join(', ')}`;
    return undefined;
  }
  const written = new Set<string>(['null']);
  let bestOk: { version: string; line: number; value: unknown } | undefined;
  const beats = (a: string, b: string) => (wins === 'latest' ? a > b : a < b);
  const byVersion = new Map<string, unknown>();
  let allVersioned = true;
  for (const p of ps) {
    if ((p.invoke.f !== 'write' && p.invoke.f !== 'cas' && p.invoke.f !== 'delete') || p.type === 'fail') continue;
    // A delete writes the absent value (a tombstone, which wins or loses by version like any write).
    const v = p.invoke.f === 'cas' ? (Array.isArray(p.invoke.value) ? p.invoke.value[1] : undefined) : p.invoke.f === 'delete' ? null : p.invoke.value;
    if (p.invoke.f === 'cas' && p.type === 'ok' && p.complete?.value === false) continue;
    written.add(canonical(v));
    if (p.type !== 'ok') continue;
    const ver = p.complete?.meta?.version;
    if (typeof ver !== 'string') {
      allVersioned = false;
      continue;
    }
    byVersion.set(ver, v);
    if (!bestOk || beats(ver, bestOk.version)) bestOk = { version: ver, line: p.complete!.line, value: v };
  }
  // A multi-value register reads as the list of its surviving concurrent writes.
  const shown = Array.isArray(value) && !written.has(canonical(value)) ? value : [value];
  const never = shown.find((x) => !written.has(canonical(x)));
  if (never !== undefined) return `register value ${canonical(never)} was never written`;
  const phantom = (finals[0].siblings ?? []).find((x) => !written.has(canonical(x)));
  if (phantom !== undefined) return `sibling ${canonical(phantom)} was never written`;
  // Last-writer-wins: the surviving version can be no older than the newest acknowledged write (write-once: no newer
  // than the earliest).
  const fv = finals[0].version;
  if (allVersioned && bestOk && fv !== undefined) {
    if (beats(bestOk.version, fv)) return `final version ${fv} is ${wins === 'latest' ? 'older' : 'newer'} than the acknowledged write of version ${bestOk.version} (line ${bestOk.line}): that write was lost`;
    if (byVersion.has(fv) && !shown.some((x) => canonical(x) === canonical(byVersion.get(fv)))) {
      return `final version ${fv} carries ${canonical(value)}, but the write of that version wrote ${canonical(byVersion.get(fv))}`;
    }
  }
  return undefined;
}

/** Part (a): every key's last ok final read agrees across regions, and the agreed state is admissible. */
function checkFinals(pairs: readonly OpPair[], regions: readonly string[], maxReported: number, wins: 'latest' | 'earliest') {
  const byKey = new Map<string, OpPair[]>();
  for (const p of pairs) {
    if (p.invoke.key === undefined) continue;
    let xs = byKey.get(p.invoke.key);
    if (!xs) byKey.set(p.invoke.key, (xs = []));
    xs.push(p);
  }
  const divergent: unknown[] = [];
  const inadmissibleKeys: unknown[] = [];
  const missing: { key: string; regions: string[] }[] = [];
  let nDivergent = 0;
  let nInadmissible = 0;
  let nFinal = 0;
  let agreed = 0;
  for (const [key, ps] of byKey) {
    const kind = kindOf(new Set(ps.map((p) => p.invoke.f)));
    const last = new Map<string, { p: OpPair; idx: number }>();
    for (const p of ps) {
      if (!isFinal(p) || p.invoke.f !== 'read' || p.type !== 'ok' || !p.complete) continue;
      nFinal++;
      const r = regionOf(p) ?? '(none)';
      const prev = last.get(r);
      if (!prev || p.complete.index > prev.idx) last.set(r, { p, idx: p.complete.index });
    }
    const finals: FinalRead[] = [...last.entries()].map(([region, { p }]) => {
      const meta = p.complete!.meta ?? {};
      return {
        region,
        line: p.complete!.line,
        value: p.complete!.value,
        // Multi-value registers report their concurrent writes as siblings; regions agree only if those agree too.
        state: Array.isArray(meta.siblings) ? canonical({ siblings: meta.siblings.map(canonical).sort(), value: stateOf(kind, p.complete!.value) }) : stateOf(kind, p.complete!.value),
        ...(Array.isArray(meta.siblings) ? { siblings: meta.siblings } : {}),
        ...(typeof meta.version === 'string' ? { version: meta.version } : {}),
        ...(meta.vclock !== undefined ? { vclock: canonical(meta.vclock) } : {}),
      };
    });
    const absent = regions.filter((r) => !last.has(r));
    if (absent.length) missing.push({ key, regions: absent });
    if (finals.length === 0) continue;
    const states = new Set(finals.map((f) => f.state));
    const vclocks = finals.every((f) => f.vclock !== undefined) ? new Set(finals.map((f) => f.vclock)) : new Set<string>();
    if (states.size > 1 || vclocks.size > 1) {
      nDivergent++;
      if (divergent.length < maxReported) divergent.push({ key, kind, ...diff(kind, finals), ...(vclocks.size > 1 ? { vclocks: Object.fromEntries(finals.map((f) => [f.region, JSON.parse(f.vclock!)])) } : {}) });
      continue;
    }
    agreed++;
    const why = inadmissible(kind, ps, finals, wins);
    if (why) {
      nInadmissible++;
      if (inadmissibleKeys.length < maxReported) inadmissibleKeys.push({ key, kind, value: finals[0].value, lines: finals.map((f) => f.line), reason: why });
    }
  }
  let valid: Validity = true;
  let reason = `${agreed} keys agree in all regions`;
  if (nDivergent || nInadmissible) {
    valid = false;
    reason = [nDivergent ? `${nDivergent} keys differ across regions after quiescence` : '', nInadmissible ? `${nInadmissible} keys converged to an inadmissible state` : ''].filter(Boolean).join('; ');
  } else if (nFinal === 0) {
    valid = 'unknown';
    reason = 'no final reads (meta.final): convergence could not be checked';
  } else if (missing.length) {
    valid = 'unknown';
    reason = `${missing.length} keys lack a final read in some region`;
  }
  return { valid, reason, keys: byKey.size, agreed, divergent, inadmissible: inadmissibleKeys, missing: missing.slice(0, maxReported), counts: { divergent: nDivergent, inadmissible: nInadmissible, missing: missing.length } };
}

/** Per-region differences: for sets, what each region lacks and has beyond the others; otherwise the values. */
function diff(kind: KeyKind, finals: readonly FinalRead[]) {
  const values = Object.fromEntries(finals.map((f) => [f.region, f.value]));
  const lines = Object.fromEntries(finals.map((f) => [f.region, f.line]));
  if (kind !== 'set') return { values, lines };
  const sets = finals.map((f) => new Set((Array.isArray(f.value) ? f.value : []).map(canonical)));
  const union = new Set(sets.flatMap((s) => [...s]));
  const common = [...union].filter((e) => sets.every((s) => s.has(e)));
  const regions: Record<string, { lacks: unknown[]; extra: unknown[] }> = {};
  finals.forEach((f, i) => {
    const lacks = [...union].filter((e) => !sets[i].has(e)).map((e) => JSON.parse(e));
    const extra = [...sets[i]].filter((e) => !common.includes(e)).map((e) => JSON.parse(e));
    if (lacks.length || extra.length) regions[f.region] = { lacks, extra };
  });
  return { lines, regions };
}

/** `applied` is absent when the target reports only a digest. */
interface Probe { region: string; invokeTime: number; completeTime: number; line: number; digest: string; applied?: Record<string, number> }

function probesOf(pairs: readonly OpPair[]): Map<string, Probe[]> {
  const out = new Map<string, Probe[]>();
  for (const p of pairs) {
    if (!isProbe(p.invoke) || p.type !== 'ok' || !p.complete) continue;
    const v = p.complete.value as { digest?: unknown; applied?: unknown } | null;
    if (!v || typeof v !== 'object') continue;
    const applied = v.applied && typeof v.applied === 'object' && !Array.isArray(v.applied) ? (v.applied as Record<string, number>) : undefined;
    if (!applied && v.digest === undefined) continue;
    const region = regionOf(p);
    if (region === undefined) continue;
    let xs = out.get(region);
    if (!xs) out.set(region, (xs = []));
    xs.push({ region, invokeTime: p.invoke.time, completeTime: p.complete.time, line: p.complete.line, digest: canonical(v.digest), ...(applied ? { applied } : {}) });
  }
  for (const xs of out.values()) xs.sort((a, b) => a.invokeTime - b.invokeTime);
  return out;
}

const NS_PER_MS = 1e6;
/** An origin a region has applied nothing from may be left out of its vector: that is 0. */
const covers = (applied: Record<string, number>, target: Record<string, number>): boolean =>
  Object.entries(target).every(([o, seq]) => (applied[o] ?? 0) >= seq);

export interface WindowConvergence {
  kind: string;
  startLine: number;
  endLine?: number;
  status: 'converged' | 'not-converged' | 'never-healed';
  /** 'applied': from the probes' applied-log vectors; 'digest': from digest equality (no vectors reported). */
  method?: 'applied' | 'digest';
  /** Each origin's own log head at its first probe after the window ended. */
  target?: Record<string, number>;
  /** Bounds on the time from the window's end until every region had applied the target, ms. */
  lowerMs?: number;
  upperMs?: number;
  /** Regions that never reached the target, or never probed after the window. */
  lagging?: string[];
  /** Another fault began before convergence: the time includes that fault's effect. */
  overlapsNextFault?: boolean;
}

type Timing = Omit<WindowConvergence, 'kind' | 'startLine' | 'endLine'>;

/**
 * Applied-vector convergence: the target is each origin's own log head at its first probe after `T`; a region has
 * converged at its first probe covering the target. Bounds: after the previous probe's invocation, by the covering
 * probe's completion.
 */
function byApplied(T: number, regions: readonly string[], probes: Map<string, Probe[]>): Timing {
  const target: Record<string, number> = {};
  const noProbe: string[] = [];
  for (const r of regions) {
    const first = probes.get(r)!.find((p) => p.invokeTime >= T);
    if (!first) noProbe.push(r);
    else target[r] = first.applied?.[r] ?? 0;
  }
  if (noProbe.length) return { method: 'applied', status: 'not-converged', lagging: noProbe };
  let lower = 0;
  let upper = 0;
  const lagging: string[] = [];
  for (const r of regions) {
    let prev: Probe | undefined;
    let hit: Probe | undefined;
    for (const p of probes.get(r)!) {
      if (p.invokeTime < T) continue;
      if (covers(p.applied!, target)) {
        hit = p;
        break;
      }
      prev = p;
    }
    if (!hit) {
      lagging.push(r);
      continue;
    }
    lower = Math.max(lower, prev ? prev.invokeTime - T : 0);
    upper = Math.max(upper, hit.completeTime - T);
  }
  if (lagging.length) return { method: 'applied', status: 'not-converged', target, lagging };
  return { method: 'applied', status: 'converged', target, lowerMs: lower / NS_PER_MS, upperMs: upper / NS_PER_MS };
}

/**
 * Digest convergence, for targets whose probes report no applied vectors (CHECKERS §4.7, quiescent case): the first
 * moment after `T` at which every region's latest probe shows the same digest. Bounds: after the last invocation of
 * a probe that still showed another digest, by the completion of the probe that completed the agreement.
 */
function byDigest(T: number, regions: readonly string[], probes: Map<string, Probe[]>): Timing {
  const after = regions.flatMap((r) => probes.get(r)!.filter((p) => p.invokeTime >= T)).sort((a, b) => a.completeTime - b.completeTime);
  const latest = new Map<string, Probe>();
  const seen: Probe[] = [];
  for (const p of after) {
    latest.set(p.region, p);
    seen.push(p);
    if (latest.size < regions.length) continue;
    const digests = new Set([...latest.values()].map((x) => x.digest));
    if (digests.size !== 1) continue;
    const lastOther = seen.filter((x) => x.digest !== p.digest).reduce((m, x) => Math.max(m, x.invokeTime - T), 0);
    return { method: 'digest', status: 'converged', lowerMs: lastOther / NS_PER_MS, upperMs: (p.completeTime - T) / NS_PER_MS };
  }
  const counts = new Map<string, number>();
  for (const x of latest.values()) counts.set(x.digest, (counts.get(x.digest) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return { method: 'digest', status: 'not-converged', lagging: regions.filter((r) => latest.get(r)?.digest !== common || !latest.has(r)) };
}

/** Part (b): time from each fault window's end to convergence, from the probes. */
function convergenceTimes(history: readonly IndexedOp[], probes: Map<string, Probe[]>): WindowConvergence[] {
  const windows = faultWindows(history);
  const regions = [...probes.keys()];
  return windows.map((w): WindowConvergence => {
    const base = { kind: w.kind, startLine: w.startLine, ...(w.endLine !== undefined ? { endLine: w.endLine } : {}) };
    if (w.end === undefined) return { ...base, status: 'never-healed' };
    const T = w.end;
    const vectors = regions.every((r) => probes.get(r)!.every((p) => p.invokeTime < T || p.applied !== undefined));
    const timing = vectors ? byApplied(T, regions, probes) : byDigest(T, regions, probes);
    const next = timing.status === 'converged' && windows.find((x) => x !== w && x.start > T && x.start < T + timing.upperMs! * NS_PER_MS);
    return { ...base, ...timing, ...(next ? { overlapsNextFault: true } : {}) };
  });
}

function byKind(ws: readonly WindowConvergence[]) {
  const groups = new Map<string, WindowConvergence[]>();
  for (const w of ws) {
    let xs = groups.get(w.kind);
    if (!xs) groups.set(w.kind, (xs = []));
    xs.push(w);
  }
  const out: Record<string, unknown> = {};
  for (const [k, xs] of groups) {
    const done = xs.filter((w) => w.status === 'converged');
    out[k] = {
      windows: xs.length,
      converged: done.length,
      notConverged: xs.filter((w) => w.status === 'not-converged').length,
      neverHealed: xs.filter((w) => w.status === 'never-healed').length,
      upperMs: done.length ? summarizeLatencies(done.map((w) => w.upperMs!)) : null,
    };
  }
  return out;
}

/**
 * Convergence (CHECKERS §4.1, §4.7). The verdict comes from the final reads: every key's last ok final read must be
 * the same state in every region (sets ignore order; equal vector clocks when all carry one), and that state must be
 * admissible. Probes, when present, add figures: per fault window, bounds on the time from its end until every region
 * had applied each origin's log head as of just after it. Those are an SLO, not a safety verdict, so they do not
 * change `valid`.
 */
export function checkConvergence(history: readonly IndexedOp[], opts: ConvergenceOptions = {}): CheckResult {
  const maxReported = opts.maxReported ?? 50;
  const all = pairOps(history);
  const clientPairs = all.filter((p) => !isProbe(p.invoke));
  const regions = opts.regions ?? [...new Set(clientPairs.map(regionOf).filter((r): r is string => r !== undefined))].sort();
  const final = checkFinals(clientPairs, regions, maxReported, opts.registerWins ?? 'latest');
  const probes = probesOf(all);
  const result: CheckResult = { valid: final.valid, reason: final.reason, regions: [...regions], final };
  // A region still behind when the catch-up phase gave up is a finding of its own, whatever the final reads showed.
  const caught = catchUpFinding(history, regions);
  if (caught) {
    result.catchUp = caught;
    if (!caught.converged) {
      result.valid = false;
      result.reason = `${describeCatchUp(caught)}; ${final.reason}`;
    }
  }
  if (probes.size === 0) {
    result.unchecked = ['no convergence probes (meta.probe): convergence times after faults were not measured'];
    return result;
  }
  const windows = convergenceTimes(history, probes);
  result.windows = windows;
  result.byKind = byKind(windows);
  if (windows.some((w) => w.method === 'digest')) {
    result.unchecked = ['probes carry no applied vectors: convergence was timed by digest equality, which writes still in progress can postpone'];
  }
  const stuck = windows.filter((w) => w.status === 'not-converged').length;
  if (stuck) result.reason += `; ${stuck} of ${windows.length} fault windows did not converge before the run ended`;
  return result;
}

export function convergenceChecker(opts: ConvergenceOptions = {}): Checker {
  return {
    name: 'convergence',
    check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkConvergence(history, opts),
  };
}
