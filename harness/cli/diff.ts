import { existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { diffRuns, renderDiffText, type DiffInput } from '../store/diff.ts';
import { renderDiffPage } from '../store/diff-page.ts';
import { readRunRecord, type RunRecord } from '../store/run-record.ts';
import { parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';

export const DIFF_USAGE = `rift diff RUN_A RUN_B [--out FILE.html]

  What changed from run A to run B: the options in force (spec), the verdict of the run, of every contract
  promise and of every checker, and the figures (duration, achieved rate, convergence time p50/p99,
  availability inside and outside fault windows, latency p50/p99, faults that took effect).
  RUN_A, RUN_B          run folders (store/<name>/<timestamp>, store/latest) or their run.json
  --out FILE.html       also write the diff as a self-contained page linking both reports
  --help                this text
  The store's index.html compares any two runs too (pick two, then "Compare").
  Exit codes: 0 the diff was printed (whatever it found), 64 usage error, 65 a run's run.json is missing or
  does not parse.`;

/** A run folder from what the user typed: the folder, store/latest, or its run.json. */
function runDir(given: string): string {
  const path = resolve(given);
  if (!existsSync(path)) throw new CliError(`${given}: no such file or directory`, EXIT.dataError);
  const dir = statSync(path).isDirectory() ? path : basename(path) === 'run.json' ? dirname(path) : undefined;
  if (!dir) throw new CliError(`${given}: neither a run folder nor a run.json`, EXIT.usage);
  if (!existsSync(resolve(dir, 'run.json'))) throw new CliError(`${given}: no run.json in ${dir}`, EXIT.dataError);
  return realpathSync(dir);
}

function record(given: string): RunRecord {
  const dir = runDir(given);
  try {
    return readRunRecord(dir);
  } catch (e) {
    throw new CliError(`${given}: run.json does not parse: ${(e as Error).message}`, EXIT.dataError);
  }
}

export async function diffCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    console.log(DIFF_USAGE);
    return EXIT.valid;
  }
  if (positionals.length !== 2) throw new CliError(`expected two runs, RUN_A and RUN_B (got ${positionals.length})\n\n${DIFF_USAGE}`, EXIT.usage);
  if (values.out !== undefined && !/\.html?$/i.test(values.out)) throw new CliError(`--out takes an .html file (got "${values.out}")`, EXIT.usage);
  const [a, b] = positionals.map(record);
  const d = diffRuns(a, b);
  console.log(renderDiffText(d));
  if (values.out !== undefined) {
    const out = resolve(values.out);
    const dirs = new Map<DiffInput, RunRecord>([[d.a, a], [d.b, b]]);
    const href = (r: DiffInput): string | undefined => {
      const rec = dirs.get(r)!;
      return rec.hasReport ? relative(dirname(out), resolve(rec.dir, 'report.html')).split('\\').join('/') : undefined;
    };
    writeFileSync(out, renderDiffPage(d, href));
    console.log(`page: ${out}`);
  }
  return EXIT.valid;
}
