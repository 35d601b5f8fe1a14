/**
 * One stored run as the store's pages and commands see it: who ran what (the spec, as the `rift run` options that
 * repeat it), how it ended (its verdict, every contract line and checker) and its figures. Read from run.json and
 * results.json only, so the history is never parsed; a run that stopped half-way still has a record.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunSpec } from '../core/run-spec.ts';
import { runArgs } from '../cli/rerun.ts';
import { runMeta } from '../../reports/run-meta.ts';
import { readResults } from '../../reports/results-input.ts';
import { runFigures, type RunFigures } from './figures.ts';
import { runPaths } from './run-dir.ts';

/** How a run ended: its exit code's meaning, or why it has none. */
export type Verdict = 'pass' | 'fail' | 'unknown' | 'error' | 'interrupted' | 'running';
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'unknown', 'error', 'interrupted', 'running'];

export interface VerdictLine {
  value: string;
  reason?: string;
}

export interface RunRecord {
  /** `<name>/<timestamp>`: the run's folder below the store, with forward slashes. */
  id: string;
  dir: string;
  name: string;
  startedAt?: string;
  verdict: Verdict;
  target?: string;
  workload?: string;
  /** Fault names asked for; empty for a run without faults. */
  faults: string[];
  seed?: string;
  /** Whether report.html exists. */
  hasReport: boolean;
  /** Every option in force, by `rift run` flag name (`target-option`s and lists joined by commas). */
  spec: Record<string, string>;
  /** `verdict`, `promise: <property> on <scope>` and `checker: <name>` → kept/broken, valid/invalid or unknown. */
  verdicts: Record<string, VerdictLine>;
  figures: RunFigures;
}

type Obj = Record<string, unknown>;

/** From run.json: status first (a run that did not finish has no verdict), then the exit code. */
export function verdictOf(run: Obj): Verdict {
  if (run.status === 'running') return 'running';
  if (run.status === 'interrupted') return 'interrupted';
  if (run.status === 'failed') return 'error';
  const code = run.exitCode;
  if (code === 0) return 'pass';
  if (code === 1) return 'fail';
  if (code === 2) return 'unknown';
  if (typeof code === 'number') return 'error';
  return run.valid === true ? 'pass' : run.valid === false ? 'fail' : 'unknown';
}

/** The spec as flag → value, through runArgs, so it names every option the way `rift run` takes it. */
function specOf(run: Obj, meta: ReturnType<typeof runMeta>): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.name) out.name = meta.name;
  let args: string[] = [];
  try {
    args = runArgs({ ...(run as unknown as RunSpec), faults: [...(meta.nemesis ?? [])], regions: [...(meta.regions ?? [])], bugs: Array.isArray(run.bugs) ? (run.bugs as string[]) : [] });
  } catch {
    // run.json written by something else: show what runMeta could read
  }
  for (let i = 0; i + 1 < args.length; i += 2) {
    const flag = args[i].slice(2);
    const value = args[i + 1];
    out[flag] = out[flag] === undefined ? value : `${out[flag]},${value}`;
  }
  if (out.bugs === undefined) out.bugs = '(none)';
  return out;
}

function verdictsOf(verdict: Verdict, resultsRaw: unknown): Record<string, VerdictLine> {
  const out: Record<string, VerdictLine> = { verdict: { value: verdict } };
  if (resultsRaw === undefined) return out;
  const results = readResults(resultsRaw);
  const reason = (checker: string): { reason?: string } => {
    const r = results.checkers[checker]?.reason;
    return r === undefined ? {} : { reason: String(r) };
  };
  for (const l of results.contract?.lines ?? []) {
    out[`promise: ${l.property} on ${l.scope}`] = { value: l.kept === true ? 'kept' : l.kept === false ? 'broken' : 'unknown', ...reason(l.checker) };
  }
  for (const [name, r] of Object.entries(results.checkers)) {
    out[`checker: ${name}`] = { value: r.valid === true ? 'valid' : r.valid === false ? 'invalid' : 'unknown', ...reason(name) };
  }
  return out;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/**
 * The record of the run in `dir` (whose run.json must parse; an absent or unreadable results.json leaves only the
 * verdict). `id` defaults to the last two parts of the path, `<name>/<timestamp>`.
 */
export function readRunRecord(dir: string, id = `${basename(dirname(dir))}/${basename(dir)}`): RunRecord {
  const paths = runPaths(dir);
  const run = readJson(paths.runJson);
  if (typeof run !== 'object' || run === null || Array.isArray(run)) throw new Error(`${paths.runJson}: is not a JSON object`);
  let results: unknown;
  try {
    results = existsSync(paths.results) ? readJson(paths.results) : undefined;
  } catch {
    results = undefined; // half-written or damaged: the run shows without checker verdicts
  }
  const o = run as Obj;
  const meta = runMeta(o);
  const verdict = verdictOf(o);
  return {
    id,
    dir,
    name: meta.name ?? basename(dirname(dir)),
    ...(meta.startedAt ? { startedAt: meta.startedAt } : {}),
    verdict,
    ...(meta.target ? { target: meta.target } : {}),
    ...(meta.workload ? { workload: meta.workload } : {}),
    faults: [...(meta.nemesis ?? [])],
    ...(meta.seed !== undefined ? { seed: String(meta.seed) } : {}),
    hasReport: existsSync(paths.report),
    spec: specOf(o, meta),
    verdicts: verdictsOf(verdict, results),
    figures: runFigures(o, results),
  };
}

/** What changes when a run's record can change: its run.json and results.json (mtime and size). */
export function recordStamp(dir: string): string {
  const part = (f: string): string => {
    const s = statSync(join(dir, f), { throwIfNoEntry: false });
    return s ? `${s.mtimeMs}:${s.size}` : '-';
  };
  return `${part('run.json')}|${part('results.json')}|${part('report.html')}`;
}
