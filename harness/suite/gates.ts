/**
 * A project's gates judged on one finished run, from what the run left: results.json (contract, convergence and
 * availability figures) and run.json (fault coverage, achieved load). Each verdict carries a plain sentence.
 */
import type { CheckResult, Results, Validity } from '../core/checker.ts';
import { rowsForRequest, type CoverageRow } from '../core/faults.ts';
import type { Gates } from './config.ts';

export type GateName = 'contract' | 'fault coverage' | 'convergence p99' | 'availability outside faults' | 'achieved rate';

export interface GateVerdict {
  gate: GateName;
  /** true passed, false failed, 'unknown' could not be judged (counts as not passed). */
  passed: Validity;
  /** The threshold as the config states it, e.g. "≤ 10 s". */
  threshold: string;
  /** What the run showed, e.g. "3.2 s". */
  actual: string;
  /** Why, in a sentence a CI log can show as is. */
  message: string;
}

/** What gates read from run.json. */
export interface RunFacts {
  nemesis?: readonly string[];
  faults?: readonly CoverageRow[];
  load?: { achievedRate?: number; askedRate?: number };
}

const fmt = (n: number, digits = 1): string => String(Math.round(n * 10 ** digits) / 10 ** digits);

function contractGate(results: Results): GateVerdict {
  const broken = results.contract?.lines.filter((l) => l.kept === false) ?? [];
  const undecided = results.contract?.lines.filter((l) => l.kept === 'unknown') ?? [];
  const failing = results.contract ? [] : Object.entries(results.checkers).filter(([, r]) => r.valid !== true).map(([n]) => n);
  const message = results.valid === true
    ? results.contract ? `every one of ${results.contract.lines.length} promises was kept` : 'every checker found the history valid'
    : results.contract
      ? [
        broken.length ? `broken: ${broken.map((l) => `${l.property} on ${l.scope} (${l.checker}: ${reasonOf(results.checkers[l.checker])})`).join('; ')}` : '',
        undecided.length ? `not decided: ${undecided.map((l) => `${l.property} on ${l.scope} (${l.checker})`).join('; ')}` : '',
        results.contract.reason ?? '',
      ].filter(Boolean).join('; ')
      : `not valid: ${failing.map((n) => `${n} (${reasonOf(results.checkers[n])})`).join('; ')}`;
  return { gate: 'contract', passed: results.valid, threshold: 'kept', actual: results.valid === true ? 'kept' : results.valid === false ? 'broken' : 'unknown', message };
}

const reasonOf = (r: CheckResult | undefined): string => (r?.reason ? String(r.reason) : r?.valid === false ? 'anomalies found' : 'no reason given');

function coverageGate(facts: RunFacts): GateVerdict {
  const asked = facts.nemesis ?? [];
  const rows = facts.faults ?? [];
  const never = asked.filter((name) => !rowsForRequest(name, rows).some((r) => r.tookEffect > 0));
  const tookEffect = asked.length - never.length;
  return {
    gate: 'fault coverage',
    passed: never.length === 0,
    threshold: 'every requested fault',
    actual: `${tookEffect}/${asked.length}`,
    message: asked.length === 0 ? 'no faults were requested'
      : never.length ? `never took effect: ${never.join(', ')}` : `every requested fault took effect (${asked.join(', ')})`,
  };
}

/** Upper bounds of every fault window's convergence time, from every convergence result (scoped ones too). */
export function convergenceTimesMs(results: Results): { times: number[]; notConverged: number } {
  const times: number[] = [];
  let notConverged = 0;
  for (const [name, r] of Object.entries(results.checkers)) {
    if (!/^convergence\b/.test(name) || !Array.isArray(r.windows)) continue;
    for (const w of r.windows as { status?: string; upperMs?: number }[]) {
      if (w.status === 'converged' && typeof w.upperMs === 'number') times.push(w.upperMs);
      else if (w.status === 'not-converged') notConverged++;
    }
  }
  return { times, notConverged };
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function convergenceGate(results: Results, maxS: number): GateVerdict {
  const base = { gate: 'convergence p99' as const, threshold: `≤ ${maxS} s` };
  const { times, notConverged } = convergenceTimesMs(results);
  if (notConverged > 0) return { ...base, passed: false, actual: `${notConverged} not converged`, message: `${notConverged} fault window${notConverged === 1 ? '' : 's'} never converged before the next fault or the end` };
  if (times.length === 0) return { ...base, passed: 'unknown', actual: 'not measured', message: 'no convergence time was measured (no fault window ended, or the target has no convergence probes)' };
  const p99 = percentile(times, 99) / 1000;
  return { ...base, passed: p99 <= maxS, actual: `${fmt(p99, 2)} s`, message: `p99 convergence time after a fault was ${fmt(p99, 2)} s over ${times.length} window${times.length === 1 ? '' : 's'} (at most ${maxS} s allowed)` };
}

function availabilityGate(results: Results, min: number): GateVerdict {
  const base = { gate: 'availability outside faults' as const, threshold: `≥ ${fmt(min * 100)}%` };
  const overall = results.checkers.availability?.overall as { outside?: { fraction: number | null; ok: number; total: number } } | undefined;
  const out = overall?.outside;
  if (!out || out.fraction === null) return { ...base, passed: 'unknown', actual: 'not measured', message: 'no client operation ran outside fault windows' };
  return {
    ...base, passed: out.fraction >= min, actual: `${fmt(out.fraction * 100)}%`,
    message: `${out.ok} of ${out.total} client operations outside fault windows completed ok (${fmt(out.fraction * 100)}%, at least ${fmt(min * 100)}% required)`,
  };
}

function rateGate(facts: RunFacts, min: number): GateVerdict {
  const base = { gate: 'achieved rate' as const, threshold: `≥ ${min} ops/s` };
  const rate = facts.load?.achievedRate;
  if (typeof rate !== 'number') return { ...base, passed: 'unknown', actual: 'not recorded', message: 'run.json records no achieved rate' };
  return { ...base, passed: rate >= min, actual: `${rate} ops/s`, message: `the main phase achieved ${rate} client operations/s${facts.load?.askedRate ? ` of ${facts.load.askedRate} asked` : ''} (at least ${min} required)` };
}

/** The verdict of every gate the project sets, in a fixed order. */
export function judgeGates(gates: Gates, results: Results, facts: RunFacts): GateVerdict[] {
  return [
    ...(gates.contract !== false ? [contractGate(results)] : []),
    ...(gates.faultCoverage !== false ? [coverageGate(facts)] : []),
    ...(gates.convergenceP99S !== undefined ? [convergenceGate(results, gates.convergenceP99S)] : []),
    ...(gates.availabilityOutside !== undefined ? [availabilityGate(results, gates.availabilityOutside)] : []),
    ...(gates.minRate !== undefined ? [rateGate(facts, gates.minRate)] : []),
  ];
}
