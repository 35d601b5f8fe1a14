/**
 * Runs a suite: plans its runs, keeps the shard's, runs them up to `parallel` at a time in this process (each run
 * deploys its own processes on free ports), judges each run's gates, and writes summary.json, junit.xml and
 * index.html into the suite's folder, then regenerates the store's index.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Results } from '../core/checker.ts';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import type { RiftConfig } from './config.ts';
import { judgeGates, type RunFacts } from './gates.ts';
import { planSuite, shardOf, type PlannedRun } from './plan.ts';
import { rerunCommand } from '../cli/rerun.ts';
import { checkerLines, countStatuses, statusOf, suiteStatus, type SuiteRunSummary, type SuiteSummary } from './summary.ts';
import { renderSuiteJUnit } from './junit.ts';
import { renderSuitePage } from './page.ts';
import { runFigures } from '../store/figures.ts';
import { refreshStoreIndex } from '../store/write-index.ts';

/** One finished run as the suite needs it: its folder, results and run.json facts. */
export interface RunRecord {
  dir: string;
  report: string;
  results: Results;
  facts: RunFacts;
}

/** Does one planned run; the default deploys and runs it (harness/runner.ts). Tests pass their own. */
export type RunOne = (args: string[], storeDir: string, log: (line: string) => void) => Promise<RunRecord>;

export interface SuiteOptions {
  config: RiftConfig;
  /** The config file, for the record and to resolve `store` against. */
  configFile: string;
  suite: string;
  shard?: { index: number; count: number };
  parallel?: number;
  bugs?: readonly string[];
  /** Where summary.json, junit.xml and index.html go (default <store>/suites/<suite>/<timestamp>). */
  outDir?: string;
  /** Overrides the config's store. */
  storeDir?: string;
  /** Every run keeps data/ and whole logs even when it passes (`rift run --keep-data`). */
  keepData?: boolean;
  /**
   * Once this many runs have failed, the runs not yet started are skipped: the release decision is already no, and
   * a calibration over every bug switch (harness/calibrate) needs only the first red run of each.
   */
  maxFailures?: number;
  log?: (line: string) => void;
  runOne?: RunOne;
  random?: () => number;
}

export interface SuiteOutcome {
  summary: SuiteSummary;
  outDir: string;
  paths: { summary: string; junit: string; page: string };
}

const stamp = (d: Date): string => d.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');

async function defaultRunOne(args: string[], storeDir: string, log: (line: string) => void): Promise<RunRecord> {
  const { parseRunSpec } = await import('../cli/run.ts');
  const { run } = await import('../runner.ts');
  const { Progress } = await import('../progress.ts');
  const stream = { isTTY: false, write: (s: string) => { for (const l of s.split('\n')) if (l) log(l); return true; } } as unknown as NodeJS.WriteStream;
  const outcome = await run(parseRunSpec([...args, '--store', storeDir]), new Progress(stream));
  const facts = JSON.parse(readFileSync(outcome.dir.runJson, 'utf8')) as RunFacts;
  return { dir: outcome.dir.root, report: outcome.dir.report, results: outcome.results, facts };
}

async function oneRun(p: PlannedRun, storeDir: string, runOne: RunOne, log: (line: string) => void, keepData: boolean): Promise<SuiteRunSummary> {
  const base = { project: p.project, seed: p.seed, rerun: rerunCommand(p.args) };
  const started = Date.now();
  try {
    const rec = await runOne(keepData ? [...p.args, '--keep-data'] : p.args, storeDir, (line) => log(`[${p.project} ${p.seed}] ${line}`));
    const gates = judgeGates(p.gates, rec.results, rec.facts);
    return {
      ...base, status: statusOf(gates), dir: rec.dir, report: rec.report, durationMs: Date.now() - started, gates, checkers: checkerLines(rec.results),
      figures: runFigures(rec.facts, rec.results),
    };
  } catch (e) {
    return { ...base, status: 'error', durationMs: Date.now() - started, gates: [], checkers: {}, error: (e as Error).message };
  }
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteOutcome> {
  const suite = opts.config.suites[opts.suite];
  if (!suite) throw new CliError(`no suite "${opts.suite}" in ${opts.configFile}; suites: ${Object.keys(opts.config.suites).join(', ')}`, EXIT.usage);
  const log = opts.log ?? ((line: string) => console.log(line));
  const parallel = opts.parallel ?? 1;
  const storeDir = opts.storeDir ?? resolve(opts.configFile, '..', opts.config.store ?? 'store');
  const planned = planSuite(opts.config, suite, { bugs: opts.bugs, random: opts.random });
  const mine = opts.shard ? shardOf(planned, opts.shard.index, opts.shard.count) : planned;
  const startedAt = new Date();
  const outDir = opts.outDir ?? join(storeDir, 'suites', opts.suite, `${stamp(startedAt)}${opts.shard ? `-shard${opts.shard.index}of${opts.shard.count}` : ''}`);
  log(`rift: suite ${opts.suite}: ${mine.length} run${mine.length === 1 ? '' : 's'}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of ${planned.length})` : ''}, ${parallel} at a time → ${outDir}`);

  const runs: SuiteRunSummary[] = new Array(mine.length);
  let next = 0;
  const overBudget = () => suite.budgetS !== undefined && Date.now() - startedAt.getTime() >= suite.budgetS * 1000;
  let failures = 0;
  const whyNotStart = (): string | undefined => {
    if (overBudget()) return `not started: the suite's time budget of ${suite.budgetS} s was spent`;
    if (opts.maxFailures !== undefined && failures >= opts.maxFailures) return `not started: ${failures} run${failures === 1 ? '' : 's'} had failed (--max-failures ${opts.maxFailures})`;
    return undefined;
  };
  const worker = async () => {
    for (let i = next++; i < mine.length; i = next++) {
      const p = mine[i];
      const skip = whyNotStart();
      if (skip) {
        runs[i] = { project: p.project, seed: p.seed, rerun: rerunCommand(p.args), status: 'skipped', gates: [], checkers: {}, error: skip };
        continue;
      }
      runs[i] = await oneRun(p, storeDir, opts.runOne ?? defaultRunOne, log, opts.keepData ?? false);
      const r = runs[i];
      if (r.status === 'failed') failures++;
      log(`rift: ${r.project} seed ${r.seed}: ${r.status}${r.error ? ` (${r.error})` : ''}${r.gates.filter((g) => g.passed !== true).map((g) => `; ${g.gate}: ${g.message}`).join('')}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, mine.length)) }, worker));

  const finishedAt = new Date();
  const summary: SuiteSummary = {
    suite: opts.suite, config: opts.configFile, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(), ...(opts.shard ? { shard: opts.shard } : {}), parallel,
    bugs: [...(opts.bugs ?? [])], ...(suite.budgetS !== undefined ? { budgetS: suite.budgetS } : {}),
    ...(opts.maxFailures !== undefined ? { maxFailures: opts.maxFailures } : {}),
    ...suiteStatus(runs), counts: countStatuses(runs), runs,
  };
  mkdirSync(outDir, { recursive: true });
  const paths = { summary: join(outDir, 'summary.json'), junit: join(outDir, 'junit.xml'), page: join(outDir, 'index.html') };
  writeFileSync(paths.summary, JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(paths.junit, renderSuiteJUnit(summary));
  writeFileSync(paths.page, renderSuitePage(summary, outDir));
  refreshStoreIndex(storeDir, log);
  return { summary, outDir, paths };
}
