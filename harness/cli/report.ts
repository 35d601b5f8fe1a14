import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Results } from '../core/checker.ts';
import { readHistory } from '../history/reader.ts';
import { runPaths } from '../store/run-dir.ts';
import { writeReports } from '../../reports/write.ts';
import { parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: ${what} does not parse: ${(e as Error).message}`, EXIT.dataError);
  }
}

export const REPORT_USAGE = `rift report RUN_DIR

  Re-renders report.html, results.json and junit.xml of a run directory (store/<name>/<timestamp>, or
  store/latest) from its history.jsonl and results.json.
  --help                this text`;

/** Re-renders report.html, results.json and junit.xml of a run directory from its history and results. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean' } });
  if (values.help) {
    console.log(REPORT_USAGE);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new CliError(`expected one RUN_DIR\n\n${REPORT_USAGE}`, EXIT.usage);
  const dir = runPaths(resolve(positionals[0]));
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
