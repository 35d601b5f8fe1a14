import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeAtomically, writeResultsJson } from '../../reports/json.ts';
import { intFlag, listFlag, numberFlag, oneOf, parse } from './args.ts';
import { budgetFlags, startBudget } from './budget.ts';
import { checkFile, type CheckIo, type CheckPlan } from './check-file.ts';
import { combinedResultsJson, fileLine, totalsLine, worstExit, type FileOutcome } from './check-outcome.ts';
import { checkFiles, sharing, spareCores } from './check-pool.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { expandInputs } from './inputs.ts';
import { summarize } from './summary.ts';
import { checkerNames, isCheckerName } from '../../checkers/registry.ts';
import { MODEL_NAMES } from '../../checkers/linearizable/models/names.ts';

export const CHECK_USAGE = `rift check HISTORY... [options]

  HISTORY...               Rift history.jsonl or Jepsen history.edn files (by extension, or --format); a
                           directory stands for every *.jsonl and *.edn below it, a quoted glob
                           ('runs/**/history.jsonl') for the files it matches. Many files are checked in one
                           process (on worker threads too when the call runs long, see --workers): one line each, and
                           the exit code is the worst of theirs (70 > 65 > 64 > 1 > 2 > 0)
  --checker LIST           checkers to run, comma-separated or repeated (default: linearizable)
                           one of: ${'%NAMES%'}
  --model NAME             linearizability model: ${MODEL_NAMES.join(', ')} (default cas-register)
  --initial JSON           the model's initial value per key (default: absent)
  --consistency-model LIST Elle: models the history must satisfy (default strict-serializable)
  --assume LIST            Elle rw-register: linearizable-keys and/or sequential-keys (each key alone is
                           linearizable / sequentially consistent, which orders more versions)
  --budget S               wall seconds for the whole call, counted from process start; checks still running
                           when it runs out, and those not yet begun, are unknown
  --budget-cpu S           the same in CPU seconds of the process (all threads)
  --after-bad-key S        linearizability: once a key is found not linearizable, wall seconds the other keys
                           may still be checked, so that every bad key is named (default 3; 0 stops at the first
                           bad key, as Porcupine does); not with --budget, which alone decides then
  --workers N              threads from the start: many files go to N worker threads, one file's keys to N
                           threads of the linearizability checker (1: the main thread alone; default: the main
                           thread, joined once the check runs long by a thread per core the machine's load
                           leaves idle: after 0.1 s for files, 0.2 s for keys)
  --format FMT             jsonl or edn (default: by extension, else EDN if the file opens like EDN)
  --order ORDER            real-time order: lines (default; an op precedes another iff its completion line
                           comes first) or time ([invoke, completion] times as closed intervals, as Porcupine)
  --nil-read MEANING       an ok read of null/nil: any (matches every state, as Knossos; default for edn)
                           or absent (the key holds nothing; default for jsonl)
  --out DIR                one file: write results.json, report.html and junit.xml into DIR (default: only
                           results.json, next to HISTORY); many files: one combined results.json
Exit codes: 0 valid, 1 anomalies found, 2 unknown (also: no client operations), 64 usage error, 65 bad history,
70 internal error.`;

/** `rift check`; `io` is where it prints (tests run it in-process). Errors throw for main.ts to map to exit codes. */
export async function checkCommand(argv: string[], io: CheckIo = console): Promise<number> {
  const { values, positionals } = parse(argv, {
    checker: { type: 'string', multiple: true }, model: { type: 'string' }, initial: { type: 'string' },
    'consistency-model': { type: 'string' }, assume: { type: 'string' }, budget: { type: 'string' }, 'budget-cpu': { type: 'string' },
    'after-bad-key': { type: 'string' },
    format: { type: 'string' }, order: { type: 'string' }, 'nil-read': { type: 'string' }, out: { type: 'string' },
    workers: { type: 'string' }, help: { type: 'boolean' },
  });
  const usage = CHECK_USAGE.replace('%NAMES%', checkerNames().join(', '));
  if (values.help) {
    io.log(usage);
    return EXIT.valid;
  }
  if (positionals.length === 0) throw new CliError(`expected at least one HISTORY file\n\n${usage}`, EXIT.usage);
  const format = values.format === undefined ? undefined : oneOf('format', values.format, ['jsonl', 'edn'] as const, 'jsonl');
  const order = oneOf('order', values.order, ['lines', 'time'] as const, 'lines');
  const nilRead = values['nil-read'] === undefined ? undefined : oneOf('nil-read', values['nil-read'], ['any', 'absent'] as const, 'absent');
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
  const workers = values.workers === undefined ? undefined : intFlag('workers', values.workers, 1, 1);
  const afterBadKey = values['after-bad-key'] === undefined ? undefined : numberFlag('after-bad-key', values['after-bad-key'], 3, 0);
  if (afterBadKey !== undefined && budget.wallS !== undefined) {
    throw new CliError('--after-bad-key does nothing with --budget: the budget alone decides how long the other keys are checked', EXIT.usage);
  }
  for (const name of names) {
    if (!isCheckerName(name)) throw new CliError(`unknown checker "${name}"; one of: ${checkerNames().join(', ')}`, EXIT.usage);
  }
  const model = values.model === undefined ? undefined : oneOf('model', values.model, MODEL_NAMES, 'cas-register');
  const plan: CheckPlan = {
    format,
    order,
    ...(nilRead !== undefined ? { nilRead } : {}),
    checkers: names,
    checkerOptions: {
      ...(model !== undefined ? { model } : {}),
      ...(initial !== undefined ? { initial } : {}),
      ...(values['consistency-model'] !== undefined ? { consistencyModels: listFlag(values['consistency-model'], []) } : {}),
      ...(values.assume !== undefined ? { assume: listFlag(values.assume, []) } : {}),
      ...(afterBadKey !== undefined ? { afterIllegalMs: afterBadKey * 1000 } : {}),
    },
    budget,
  };
  const files = expandInputs(positionals);
  if (files.length > 1) return checkManyFiles(files, plan, values.out, io, workers);
  // One file: threads for its keys. The checker's own default (a thread per core, joining after 0.2 s) only when
  // the machine has a core to spare.
  const threads = workers !== undefined ? { workers, parallelAfterMs: 0 } : spareCores() > 0 ? {} : { workers: 1 };
  return checkOneFile(files[0], { ...plan, checkerOptions: { ...plan.checkerOptions, ...threads } }, values.out, io);
}

/** One file, as `rift check` always did: the verdict block, results.json next to the history (or in --out). */
async function checkOneFile(file: string, plan: CheckPlan, out: string | undefined, io: CheckIo): Promise<number> {
  const outDir = resolve(out ?? dirname(file));
  const budget = startBudget(plan.budget);
  try {
    const o = await checkFile(file, plan, budget, outDir, io, out !== undefined);
    if (!o.results) return o.exitCode;
    const path = join(outDir, 'results.json');
    // An explicit --out is a place for the whole report; the default keeps to results.json beside someone's file.
    // The report's renderers are loaded only then.
    const report = out === undefined ? undefined : (await import('../../reports/write.ts')).writeReports;
    const paths = report && (await report(outDir, { history: o.ops ?? [], results: o.results, run: { name: basename(file) } }));
    if (!paths) await writeResultsJson(path, o.results);
    io.log(summarize(o.results));
    const { format, nilRead } = o.results.input as { format: string; nilRead: string };
    io.log(`input: ${format}, real-time order by ${plan.order === 'lines' ? 'line' : 'time'}; to the linearizability checker an ok read of nil matches ${nilRead === 'any' ? 'any state' : 'only an absent key'}`);
    io.log(`results: ${path}`);
    if (paths) io.log(`report: ${paths.html}\njunit: ${paths.junit}`);
    return o.exitCode;
  } finally {
    budget.dispose();
  }
}

/**
 * Many files in one process, shared between the main thread and worker threads (check-pool.ts): a line per file in
 * the order given, a closing line with the counts, and with --out one combined results.json. A file that fails
 * does not stop the others.
 */
async function checkManyFiles(files: readonly string[], given: CheckPlan, out: string | undefined, io: CheckIo, requestedWorkers?: number): Promise<number> {
  const outDir = out === undefined ? undefined : resolve(out);
  // Threads take files, each file checked on one thread: a checker's own threads on top would outnumber the cores.
  // Without --out only each file's line is kept: the linearizability checker need not explore a bad key for a
  // report no one will write (on Porcupine's etcd logs that took as long as the check).
  const plan = { ...given, checkerOptions: { ...given.checkerOptions, workers: 1, ...(outDir ? {} : { explore: false }) } };
  // Artefacts a checker writes (Elle's cycle graphs) go to a folder per file, so two files' never mix.
  const outDirFor = (i: number): string | undefined => outDir && join(outDir, 'files', `${i + 1}-${basename(files[i])}`);
  const print = (o: FileOutcome): void => io.log(fileLine(o));
  const outcomes = await checkFiles(files, plan, sharing(files.length, requestedWorkers, spareCores()), outDirFor, print, io);
  io.log(totalsLine(outcomes));
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, 'results.json');
    await writeAtomically(path, combinedResultsJson(outcomes));
    io.log(`results: ${path}`);
  } else {
    io.log('(no results.json: give --out DIR for one combining every file)');
  }
  return worstExit(outcomes.map((o) => o.exitCode));
}
