import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Checker, Results } from '../core/checker.ts';
import { isClientOp, type IndexedOp } from '../core/op.ts';
import { HistoryFormatError, parseHistory, type ParsedHistory } from '../history/reader.ts';
import { pairOps } from '../history/pairs.ts';
import { parseEdnHistory } from '../history/edn.ts';
import { guessFormat, type HistoryFormat } from '../history/format.ts';
import { readHistoryText } from '../history/input-file.ts';
import { rankByTime, timeOrderWarning } from '../history/order.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { writeResultsJson } from '../../reports/json.ts';
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
  --format FMT             jsonl or edn (default: by extension, else EDN if the file opens like EDN)
  --order ORDER            real-time order: lines (default; an op precedes another iff its completion line
                           comes first) or time ([invoke, completion] times as closed intervals, as Porcupine)
  --nil-read MEANING       an ok read of null/nil: any (matches every state, as Knossos; default for edn)
                           or absent (the key holds nothing; default for jsonl)
  --out DIR                where results.json goes (default: next to HISTORY)
Exit codes: 0 valid, 1 anomalies found, 2 unknown (also: no client operations), 64 usage error, 65 bad history.`;

/** `rift check`; `io` is where it prints (tests run it in-process). Errors throw for main.ts to map to exit codes. */
export async function checkCommand(argv: string[], io: Pick<Console, 'log' | 'error'> = console): Promise<number> {
  const { values, positionals } = parse(argv, {
    checker: { type: 'string', multiple: true }, model: { type: 'string' }, initial: { type: 'string' },
    'consistency-model': { type: 'string' }, assume: { type: 'string' }, budget: { type: 'string' }, format: { type: 'string' },
    out: { type: 'string' }, order: { type: 'string' }, 'nil-read': { type: 'string' }, help: { type: 'boolean' },
  });
  const usage = CHECK_USAGE.replace('%NAMES%', checkerNames().join(', '));
  if (values.help) {
    io.log(usage);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new CliError(`expected exactly one HISTORY file\n\n${usage}`, EXIT.usage);
  const file = resolve(positionals[0]);
  const formatFlag = values.format === undefined ? undefined : oneOf('format', values.format, ['jsonl', 'edn'] as const, 'jsonl');
  const order = oneOf('order', values.order, ['lines', 'time'] as const, 'lines');
  const nilReadFlag = values['nil-read'] === undefined ? undefined : oneOf('nil-read', values['nil-read'], ['any', 'absent'] as const, 'absent');
  const names = (values.checker ?? ['linearizable']).flatMap((c) => listFlag(c, []));
  for (const name of names) {
    if (!Object.hasOwn(CHECKERS, name)) throw new CliError(`unknown checker "${name}"; one of: ${checkerNames().join(', ')}`, EXIT.usage);
  }
  const model = values.model === undefined ? undefined : oneOf('model', values.model, MODEL_NAMES, 'cas-register');
  let initial: unknown;
  if (values.initial !== undefined) {
    try {
      initial = JSON.parse(values.initial);
    } catch {
      throw new CliError(`--initial must be JSON (got ${values.initial})`, EXIT.usage);
    }
  }
  const budgetS = values.budget === undefined ? undefined : numberFlag('budget', values.budget, 0, 0.001);

  const { parsed, format } = await readInput(file, formatFlag);
  const nilRead = nilReadFlag ?? (format === 'edn' ? 'any' : 'absent');
  const checkers: Checker[] = names.map((name) => {
    try {
      return CHECKERS[name].create({
        ...(model !== undefined ? { model } : {}),
        ...(initial !== undefined ? { initial } : {}),
        ...(budgetS !== undefined ? { budgetMs: budgetS * 1000 } : {}),
        ...(values['consistency-model'] !== undefined ? { consistencyModels: listFlag(values['consistency-model'], []) } : {}),
        ...(values.assume !== undefined ? { assume: listFlag(values.assume, []) } : {}),
        nilRead,
        file,
      });
    } catch (e) {
      // A model, initial value or consistency model the checker does not know is a usage error.
      if (e instanceof RangeError) throw new CliError(`--checker ${name}: ${e.message}`, EXIT.usage);
      throw e;
    }
  });

  if (parsed.truncatedTail) io.error(`rift: ${file}:${parsed.truncatedTail.line}: ignoring a final line that does not parse (a run cut short)`);
  for (const w of parsed.warnings ?? []) io.error(`rift: ${w}`);
  const ops: IndexedOp[] = parsed.ops;
  // Structural errors (a completion with no invoke, a busy process invoked again) are bad input, not a verdict:
  // find them before any checker runs, so they exit 65 naming the line.
  pairOps(ops, file);
  const backwards = timeOrderWarning(ops, file, order);
  if (backwards) io.error(`rift: ${backwards}`);
  if (order === 'time') rankByTime(ops, file);
  const outDir = resolve(values.out ?? dirname(file));
  mkdirSync(outDir, { recursive: true });
  const checked = await composeChecks(checkers, ops, { budgetMs: budgetS === undefined ? undefined : budgetS * 1000, outDir });
  const unreadable = Object.values(checked.checkers).find((r) => r.inputError)?.inputError as { file: string; line: number; detail: string } | undefined;
  if (unreadable) throw new HistoryFormatError(unreadable.file, unreadable.line, unreadable.detail);
  const results = tooLittleData(checked, ops);
  results.input = { file, format, order, nilRead };
  const out = join(outDir, 'results.json');
  await writeResultsJson(out, results);
  io.log(summarize(results));
  io.log(`input: ${format}, real-time order by ${order === 'lines' ? 'line' : 'time'}; to the linearizability checker an ok read of nil matches ${nilRead === 'any' ? 'any state' : 'only an absent key'}`);
  io.log(`results: ${out}`);
  return exitForValidity(results.valid);
}

/**
 * A history without client operations holds nothing to check: every verdict is unknown, never valid (HISTORY.md
 * "Too little data"). Anomalies a checker found stand.
 */
export function tooLittleData(results: Results, ops: readonly IndexedOp[]): Results {
  if (ops.some(isClientOp)) return results;
  const reason = 'the history has no client operations: too little data to check';
  for (const [name, r] of Object.entries(results.checkers)) if (r.valid === true) results.checkers[name] = { ...r, valid: 'unknown', reason };
  if (Object.keys(results.checkers).length === 0 || results.valid === true) results.valid = 'unknown';
  return results;
}

/** Reads and parses a history in a scope of its own, so that its text can be collected while the checkers run. */
async function readInput(file: string, formatFlag: HistoryFormat | undefined): Promise<{ parsed: ParsedHistory & { warnings?: string[] }; format: HistoryFormat }> {
  const text = await readHistoryText(file);
  const format = formatFlag ?? guessFormat(file, text);
  return { parsed: format === 'edn' ? parseEdnHistory(text, file) : parseHistory(text, file), format };
}
