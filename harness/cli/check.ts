import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Checker } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import { HistoryFormatError, readHistory } from '../history/reader.ts';
import { pairOps } from '../history/pairs.ts';
import { readEdnHistory } from '../history/edn.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { writeResultsJson } from '../../reports/json.ts';
import { writeReports } from '../../reports/write.ts';
import { listFlag, numberFlag, oneOf, parse } from './args.ts';
import { CliError, EXIT, exitForValidity } from './exit-codes.ts';
import { summarize } from './summary.ts';
import { checkerNames, CHECKERS } from '../../checkers/registry.ts';
import { MODEL_NAMES } from '../../checkers/linearizable/models/index.ts';

export const CHECK_USAGE = `rift check HISTORY [options]

  HISTORY                  a Rift history.jsonl, or a Jepsen history.edn (by extension, or --format)
  --checker LIST           checkers to run, comma-separated or repeated (default: linearizable)
                           one of: ${'%NAMES%'}
  --model NAME             linearizability model: ${MODEL_NAMES.join(', ')} (default cas-register)
  --initial JSON           the model's initial value per key (default: absent)
  --consistency-model LIST Elle: models the history must satisfy (default strict-serializable)
  --assume LIST            Elle rw-register: linearizable-keys and/or sequential-keys (each key alone is
                           linearizable / sequentially consistent, which orders more versions)
  --budget S               time budget per checker in seconds; when it runs out the verdict is unknown
  --format FMT             jsonl or edn (default: from the file extension)
  --out DIR                write results.json, report.html and junit.xml into DIR (default: only results.json,
                           next to HISTORY)
Exit codes: 0 valid, 1 anomalies found, 2 unknown, 64 usage error, 65 bad history.`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    checker: { type: 'string', multiple: true }, model: { type: 'string' }, initial: { type: 'string' },
    'consistency-model': { type: 'string' }, assume: { type: 'string' }, budget: { type: 'string' }, format: { type: 'string' },
    out: { type: 'string' }, help: { type: 'boolean' },
  });
  const usage = CHECK_USAGE.replace('%NAMES%', checkerNames().join(', '));
  if (values.help) {
    console.log(usage);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new CliError(`expected exactly one HISTORY file\n\n${usage}`, EXIT.usage);
  const file = resolve(positionals[0]);
  if (!existsSync(file)) throw new CliError(`${positionals[0]}: no such file`, EXIT.dataError);
  const format = oneOf('format', values.format, ['jsonl', 'edn'] as const, file.endsWith('.edn') ? 'edn' : 'jsonl');
  const names = (values.checker ?? ['linearizable']).flatMap((c) => listFlag(c, []));
  let initial: unknown;
  if (values.initial !== undefined) {
    try {
      initial = JSON.parse(values.initial);
    } catch {
      throw new CliError(`--initial must be JSON (got ${values.initial})`, EXIT.usage);
    }
  }
  const budgetS = values.budget === undefined ? undefined : numberFlag('budget', values.budget, 0, 0.001);
  const checkers: Checker[] = names.map((name) => {
    if (!Object.hasOwn(CHECKERS, name)) throw new CliError(`unknown checker "${name}"; one of: ${checkerNames().join(', ')}`, EXIT.usage);
    const opts = {
      file,
      ...(values.model !== undefined ? { model: oneOf('model', values.model, MODEL_NAMES, 'cas-register') } : {}),
      ...(initial !== undefined ? { initial } : {}),
      ...(budgetS !== undefined ? { budgetMs: budgetS * 1000 } : {}),
      ...(values['consistency-model'] !== undefined ? { consistencyModels: listFlag(values['consistency-model'], []) } : {}),
      ...(values.assume !== undefined ? { assume: listFlag(values.assume, []) } : {}),
    };
    try {
      return CHECKERS[name].create(opts);
    } catch (e) {
      // A model, initial value or consistency model the checker does not know is a usage error.
      if (e instanceof RangeError) throw new CliError(`--checker ${name}: ${e.message}`, EXIT.usage);
      throw e;
    }
  });

  const parsed = format === 'edn' ? await readEdnHistory(file) : await readHistory(file);
  if (parsed.truncatedTail) console.error(`rift: ${file}:${parsed.truncatedTail.line}: ignoring a final line that does not parse (a run cut short)`);
  for (const w of (parsed as { warnings?: string[] }).warnings ?? []) console.error(`rift: ${w}`);
  const ops: IndexedOp[] = parsed.ops;
  // Structural errors (a completion with no invoke, a busy process invoked again) are bad input, not a verdict:
  // find them before any checker runs, so they exit 65 naming the line.
  pairOps(ops, file);
  const outDir = resolve(values.out ?? dirname(file));
  mkdirSync(outDir, { recursive: true });
  const results = await composeChecks(checkers, ops, { budgetMs: budgetS === undefined ? undefined : budgetS * 1000, outDir });
  const unreadable = Object.values(results.checkers).find((r) => r.inputError)?.inputError as { file: string; line: number; detail: string } | undefined;
  if (unreadable) throw new HistoryFormatError(unreadable.file, unreadable.line, unreadable.detail);
  const out = join(outDir, 'results.json');
  // An explicit --out is a place for the whole report; the default keeps to results.json beside someone's file.
  const paths = values.out === undefined ? undefined : await writeReports(outDir, { history: ops, results, run: { name: basename(file) } });
  if (!paths) await writeResultsJson(out, results);
  console.log(summarize(results));
  console.log(`results: ${out}`);
  if (paths) console.log(`report: ${paths.html}\njunit: ${paths.junit}`);
  return exitForValidity(results.valid);
}
