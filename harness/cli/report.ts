import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Results } from '../core/checker.ts';
import { readEdnHistory } from '../history/edn.ts';
import { readHistory } from '../history/reader.ts';
import { runPaths } from '../store/run-dir.ts';
import { writeReports } from '../../reports/write.ts';
import { parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';

const USAGE = `usage: rift report RUN_DIR
       rift report HISTORY [--results FILE] [--out DIR]

A run directory is re-rendered in place. A history file (history.jsonl or Jepsen .edn) gets report.html,
results.json and junit.xml in --out (default: its directory), from --results (default: results.json beside it;
without one the report shows the history with no checker verdicts).`;

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: ${what} does not parse: ${(e as Error).message}`, EXIT.dataError);
  }
}

/** Re-renders report.html, results.json and junit.xml from a run directory, or from any history file. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, { results: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError(USAGE, EXIT.usage);
  const target = resolve(positionals[0]);
  if (!existsSync(target)) throw new CliError(`${positionals[0]}: no such file or directory`, EXIT.dataError);
  if (statSync(target).isDirectory()) {
    if (values.results !== undefined || values.out !== undefined) throw new CliError(`--results and --out are for a history file, not a run directory\n\n${USAGE}`, EXIT.usage);
    const dir = runPaths(target);
    for (const [path, what] of [[dir.history, 'history.jsonl'], [dir.results, 'results.json']] as const) {
      if (!existsSync(path)) throw new CliError(`${dir.root} has no ${what}`, EXIT.dataError);
    }
    const results = readJson(dir.results, 'results.json') as Results;
    const run = existsSync(dir.runJson) ? readJson(dir.runJson, 'run.json') : {};
    const { ops } = await readHistory(dir.history);
    const paths = await writeReports(dir.root, { history: ops, results, run: run as Record<string, unknown> });
    console.log(`report: ${paths.html}`);
    return EXIT.valid;
  }
  const resultsPath = values.results === undefined ? join(dirname(target), 'results.json') : resolve(values.results);
  if (values.results !== undefined && !existsSync(resultsPath)) throw new CliError(`${values.results}: no such file`, EXIT.dataError);
  const results: Results = existsSync(resultsPath) ? (readJson(resultsPath, 'results.json') as Results) : { valid: 'unknown', checkers: {} };
  const { ops } = target.endsWith('.edn') ? await readEdnHistory(target) : await readHistory(target);
  const out = resolve(values.out ?? dirname(target));
  mkdirSync(out, { recursive: true });
  const paths = await writeReports(out, { history: ops, results, run: { name: positionals[0] } });
  console.log(`report: ${paths.html}`);
  return EXIT.valid;
}
