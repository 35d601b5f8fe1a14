import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Results } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import type { RunSpec } from '../core/run-spec.ts';
import { runPaths, writeJson } from '../store/run-dir.ts';
import { checkRunHistory, workloadOf } from '../check-run.ts';
import { workloads } from '../../workloads/index.ts';
import { writeResultsJson } from '../../reports/json.ts';
import { writeReports } from '../../reports/write.ts';
import { parse } from './args.ts';
import { readInput } from './check-file.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { summarize } from './summary.ts';

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: ${what} does not parse: ${(e as Error).message}`, EXIT.dataError);
  }
}

export const REPORT_USAGE = `rift report RUN_DIR
rift report HISTORY [--results FILE] [--out DIR]

  A run directory (store/<name>/<timestamp>, or store/latest) is re-rendered in place: report.html, results.json
  and junit.xml from its history.jsonl and results.json. A run that never checked itself (interrupted, or its
  harness killed) is checked first, from its history, with the checkers its run.json names.
  A history file (history.jsonl or Jepsen .edn) gets report.html, results.json and junit.xml in --out (default:
  its directory), from --results (default: results.json beside it; without one the report shows the history
  with no checker verdicts).
  --help                this text`;

/** Reads any history file as `rift check` does (format by extension or content). */
const readAnyHistory = async (file: string): Promise<IndexedOp[]> => (await readInput(file, undefined)).parsed.ops;

/** Re-renders report.html, results.json and junit.xml from a run directory, or from any history file. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { results: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    console.log(REPORT_USAGE);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new CliError(`expected one RUN_DIR or HISTORY\n\n${REPORT_USAGE}`, EXIT.usage);
  const target = resolve(positionals[0]);
  if (!existsSync(target)) throw new CliError(`${positionals[0]}: no such file or directory`, EXIT.dataError);
  if (statSync(target).isDirectory()) {
    if (values.results !== undefined || values.out !== undefined) throw new CliError(`--results and --out are for a history file, not a run directory\n\n${REPORT_USAGE}`, EXIT.usage);
    return reportRunDir(target);
  }
  const resultsPath = values.results === undefined ? join(dirname(target), 'results.json') : resolve(values.results);
  if (values.results !== undefined && !existsSync(resultsPath)) throw new CliError(`${values.results}: no such file`, EXIT.dataError);
  const results: Results = existsSync(resultsPath) ? (readJson(resultsPath, 'results.json') as Results) : { valid: 'unknown', checkers: {} };
  const ops = await readAnyHistory(target);
  const out = resolve(values.out ?? dirname(target));
  mkdirSync(out, { recursive: true });
  const paths = await writeReports(out, { history: ops, results, run: { name: positionals[0] } });
  console.log(`report: ${paths.html}`);
  return EXIT.valid;
}

async function reportRunDir(root: string): Promise<number> {
  const dir = runPaths(root);
  if (!existsSync(dir.history)) throw new CliError(`${dir.root} has no history.jsonl`, EXIT.dataError);
  const run = (existsSync(dir.runJson) ? readJson(dir.runJson, 'run.json') : {}) as Record<string, unknown>;
  const ops = await readAnyHistory(dir.history);
  let results: Results;
  if (existsSync(dir.results)) {
    results = readJson(dir.results, 'results.json') as Results;
  } else {
    // A run stopped before it checked itself (interrupted, or its harness killed): judge what its history holds.
    results = await checkInterrupted(dir.root, dir.history, run, ops);
    await writeResultsJson(dir.results, results);
    writeJson(dir.runJson, { ...run, valid: results.valid, checkedAfterwards: new Date().toISOString() });
    console.log(summarize(results));
  }
  const paths = await writeReports(dir.root, { history: ops, results, run });
  console.log(`report: ${paths.html}`);
  return EXIT.valid;
}

/** Checks a run that never checked itself with the checkers its run.json spec names, as the runner would have. */
async function checkInterrupted(root: string, history: string, run: Record<string, unknown>, ops: IndexedOp[]): Promise<Results> {
  const spec = run as unknown as RunSpec;
  const make = typeof spec.workload === 'string' ? workloads[spec.workload] : undefined;
  if (!make || !Array.isArray(spec.regions) || typeof spec.target !== 'string') {
    throw new CliError(`${root} has no results.json, and its run.json names no workload Rift knows to check its history with`, EXIT.dataError);
  }
  const { results } = await checkRunHistory(spec, ops, workloadOf(spec, make), { historyFile: history, outDir: root, contract: true, log: (l) => console.error(l) });
  return results;
}
