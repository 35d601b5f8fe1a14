import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Checker } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import { HistoryFormatError, readHistory } from '../history/reader.ts';
import { pairOps } from '../history/pairs.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { writeAtomically, writeResultsJson } from '../../reports/json.ts';
import { listFlag, oneOf, parse } from './args.ts';
import { budgetFlags, startBudget, type Budget } from './budget.ts';
import { combinedResultsJson, fileLine, totalsLine, worstExit, type FileOutcome } from './check-outcome.ts';
import { CliError, EXIT, exitForValidity } from './exit-codes.ts';
import { expandInputs } from './inputs.ts';
import { summarize } from './summary.ts';
import { checkerNames, CHECKERS } from '../../checkers/registry.ts';

export const CHECK_USAGE = `rift check HISTORY... [options]

  HISTORY...               Rift history.jsonl or Jepsen history.edn files (by extension, or --format); a
                           directory stands for every *.jsonl and *.edn below it, a quoted glob
                           ('runs/**/history.jsonl') for the files it matches. Many files are checked in one
                           process: one line each, and the exit code is the worst of theirs (70 > 65 > 64 > 1 > 2 > 0)
  --checker LIST           checkers to run, comma-separated or repeated (default: linearizable)
                           one of: ${'%NAMES%'}
  --model NAME             linearizability model: register, cas-register, kv, set (default cas-register)
  --initial JSON           the model's initial value per key (default: absent)
  --consistency-model LIST Elle: models the history must satisfy (default strict-serializable)
  --budget S               wall seconds for the whole call, counted from process start; checks still running
                           when it runs out, and those not yet begun, are unknown
  --budget-cpu S           the same in CPU seconds of the process (all threads)
  --format FMT             jsonl or edn (default: from the file extension)
  --out DIR                where results.json goes (default: next to HISTORY; many files: one combined
                           results.json, written only with --out)
Exit codes: 0 valid, 1 anomalies found, 2 unknown, 64 usage error, 65 bad history, 70 internal error.`;

/** How to check one file: everything the flags decide, the same for every file of the call. */
interface CheckPlan {
  format?: 'jsonl' | 'edn';
  checkers: () => Checker[];
  budget: Budget;
}

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    checker: { type: 'string', multiple: true }, model: { type: 'string' }, initial: { type: 'string' },
    'consistency-model': { type: 'string' }, budget: { type: 'string' }, 'budget-cpu': { type: 'string' },
    format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
  });
  const usage = CHECK_USAGE.replace('%NAMES%', checkerNames().join(', '));
  if (values.help) {
    console.log(usage);
    return EXIT.valid;
  }
  if (positionals.length === 0) throw new CliError(`expected at least one HISTORY file\n\n${usage}`, EXIT.usage);
  const format = values.format === undefined ? undefined : oneOf('format', values.format, ['jsonl', 'edn'] as const, 'jsonl');
  const names = (values.checker ?? ['linearizable']).flatMap((c) => listFlag(c, []));
  let initial: unknown;
  if (values.initial !== undefined) {
    try {
      initial = JSON.parse(values.initial);
    } catch {
      throw new CliError(`--initial must be JSON (got ${values.initial})`, EXIT.usage);
    }
  }
  const budget = budgetFlags(values.budget, values['budget-cpu']);
  for (const name of names) {
    if (!Object.hasOwn(CHECKERS, name)) throw new CliError(`unknown checker "${name}"; one of: ${checkerNames().join(', ')}`, EXIT.usage);
  }
  const model = values.model === undefined ? undefined : oneOf('model', values.model, ['register', 'cas-register', 'kv', 'set'] as const, 'cas-register');
  // Fresh checkers per file: a checker may keep state between calls. The budget reaches them through CheckOptions.
  const checkers = (): Checker[] =>
    names.map((name) =>
      CHECKERS[name].create({
        ...(model !== undefined ? { model } : {}),
        ...(initial !== undefined ? { initial } : {}),
        ...(values['consistency-model'] !== undefined ? { consistencyModels: listFlag(values['consistency-model'], []) } : {}),
      }),
    );
  const files = expandInputs(positionals);
  const plan: CheckPlan = { format, checkers, budget: startBudget(budget) };
  try {
    if (files.length === 1) return await checkOneFile(files[0], plan, values.out);
    return await checkManyFiles(files, plan, values.out);
  } finally {
    plan.budget.dispose();
  }
}

/** One file, as `rift check` always did: the verdict block, results.json next to the history (or in --out). */
async function checkOneFile(file: string, plan: CheckPlan, out: string | undefined): Promise<number> {
  const outDir = resolve(out ?? dirname(file));
  const o = await checkFile(file, plan, outDir);
  if (!o.results) return o.exitCode;
  const path = join(outDir, 'results.json');
  await writeResultsJson(path, o.results);
  console.log(summarize(o.results));
  console.log(`results: ${path}`);
  return o.exitCode;
}

/**
 * Many files in one process, one after another (a linearizability check spreads a file's keys over the worker
 * threads of checkers/linearizable/pool.ts): a line per file as it is decided, a closing line with the counts,
 * and with --out one combined results.json. A file that fails does not stop the others.
 */
async function checkManyFiles(files: readonly string[], plan: CheckPlan, out: string | undefined): Promise<number> {
  const outDir = out === undefined ? undefined : resolve(out);
  const outcomes: FileOutcome[] = [];
  for (const [i, file] of files.entries()) {
    // Artefacts a checker writes (Elle's cycle graphs) go to a folder per file, so two files' never mix.
    const o = await checkFile(file, plan, outDir && join(outDir, 'files', `${i + 1}-${basename(file)}`));
    outcomes.push(o);
    console.log(fileLine(o));
  }
  console.log(totalsLine(outcomes));
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, 'results.json');
    await writeAtomically(path, combinedResultsJson(outcomes));
    console.log(`results: ${path}`);
  } else {
    console.log('(no results.json: give --out DIR for one combining every file)');
  }
  return worstExit(outcomes.map((o) => o.exitCode));
}

/** Reads, validates and checks one history; an error that keeps it from a verdict is reported here and returned. */
async function checkFile(file: string, plan: CheckPlan, outDir: string | undefined): Promise<FileOutcome> {
  try {
    const format = plan.format ?? (file.endsWith('.edn') ? 'edn' : 'jsonl');
    // The EDN reader and its parser load only for EDN input: start-up is most of a small check's time.
    const parsed = format === 'edn' ? await (await import('../history/edn.ts')).readEdnHistory(file) : await readHistory(file);
    if (parsed.truncatedTail) console.error(`rift: ${file}:${parsed.truncatedTail.line}: ignoring a final line that does not parse (a run cut short)`);
    for (const w of (parsed as { warnings?: string[] }).warnings ?? []) console.error(`rift: ${w}`);
    const ops: IndexedOp[] = parsed.ops;
    // Structural errors (a completion with no invoke, a busy process invoked again) are bad input, not a verdict:
    // find them before any checker runs, so they exit 65 naming the line.
    pairOps(ops, file);
    if (outDir) mkdirSync(outDir, { recursive: true });
    plan.budget.poll();
    const results = await composeChecks(plan.checkers(), ops, { budgetMs: plan.budget.wallLeftMs(), outDir, signal: plan.budget.signal });
    return { file, exitCode: exitForValidity(results.valid), results };
  } catch (e) {
    return failed(file, e);
  }
}

/** Errors of opening a history that are the input's fault, not Rift's. */
const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

/** An error as the CLI reports it (main.ts does the same for errors outside a file), and the file's exit code. */
function failed(file: string, e: unknown): FileOutcome {
  if (e instanceof CliError) {
    console.error(`rift: ${e.message}`);
    return { file, exitCode: e.exitCode, error: e.message };
  }
  if (e instanceof HistoryFormatError) {
    console.error(`rift: bad history: ${e.message}`);
    return { file, exitCode: EXIT.dataError, error: e.message };
  }
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== undefined && UNREADABLE.has(code)) {
    const why = code === 'ENOENT' ? 'no such file' : (e as Error).message;
    console.error(`rift: ${file}: ${why}`);
    return { file, exitCode: EXIT.dataError, error: why };
  }
  console.error(`rift: internal error checking ${file}: ${(e as Error)?.stack ?? String(e)}`);
  return { file, exitCode: EXIT.internal, error: `internal error: ${(e as Error)?.message ?? String(e)}` };
}
