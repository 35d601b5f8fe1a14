import { mkdirSync } from 'node:fs';
import type { Checker, Results } from '../core/checker.ts';
import { isClientOp, type IndexedOp } from '../core/op.ts';
import { HistoryFormatError, parseHistory, type ParsedHistory } from '../history/reader.ts';
import { pairOps } from '../history/pairs.ts';
import { guessFormat, type HistoryFormat } from '../history/format.ts';
import { readHistoryText } from '../history/input-file.ts';
import { rankByTime, timeOrderWarning, type RealTimeOrder } from '../history/order.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { createChecker } from '../../checkers/registry.ts';
import type { Budget } from './budget.ts';
import type { FileOutcome } from './check-outcome.ts';
import { CliError, EXIT, exitForError, exitForValidity } from './exit-codes.ts';

/** Where a check prints; tests run it in-process with their own. */
export type CheckIo = Pick<Console, 'log' | 'error'>;

/**
 * How to check a file: everything the flags decided, the same for every file of a call. Plain data, so a
 * worker thread checking files of the call gets the very same plan.
 */
export interface CheckPlan {
  format?: HistoryFormat;
  order: RealTimeOrder;
  /** What an ok read of nil means; unset: by format (any for EDN, absent for JSONL, HISTORY.md). */
  nilRead?: 'any' | 'absent';
  checkers: readonly string[];
  /** The checkers' options from the flags (model, initial, consistencyModels, assume). */
  checkerOptions: Record<string, unknown>;
  budget: { wallS?: number; cpuS?: number };
}

/** Fresh checkers per file: a checker may keep state between calls. The budget reaches them through CheckOptions. */
async function createCheckers(plan: CheckPlan, file: string, nilRead: 'any' | 'absent'): Promise<Checker[]> {
  const checkers: Checker[] = [];
  for (const name of plan.checkers) {
    try {
      checkers.push(await createChecker(name, { ...plan.checkerOptions, nilRead, file }));
    } catch (e) {
      // A model, initial value or consistency model the checker does not know is a usage error.
      if (e instanceof RangeError) throw new CliError(`--checker ${name}: ${e.message}`, EXIT.usage);
      throw e;
    }
  }
  return checkers;
}

/** Errors of opening a history that are the input's fault, not Rift's. */
const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * Reads, validates and checks one history. An error that keeps it from a verdict is reported on stderr as the
 * CLI reports errors, and comes back as the file's outcome with its exit code: it never stops the other files.
 * `keepOps` returns the history too, for a report of it (one file in this thread: never across threads).
 */
export async function checkFile(
  file: string, plan: CheckPlan, budget: Budget, outDir: string | undefined, io: CheckIo = console, keepOps = false,
): Promise<FileOutcome> {
  try {
    const { parsed, format } = await readInput(file, plan.format);
    const nilRead = plan.nilRead ?? (format === 'edn' ? 'any' : 'absent');
    const checkers = await createCheckers(plan, file, nilRead);
    if (parsed.truncatedTail) io.error(`rift: ${file}:${parsed.truncatedTail.line}: ignoring a final line that does not parse (a run cut short)`);
    for (const w of parsed.warnings ?? []) io.error(`rift: ${w}`);
    const ops: IndexedOp[] = parsed.ops;
    // Structural errors (a completion with no invoke, a busy process invoked again) are bad input, not a verdict:
    // find them before any checker runs, so they exit 65 naming the line.
    pairOps(ops, file);
    const backwards = timeOrderWarning(ops, file, plan.order);
    if (backwards) io.error(`rift: ${backwards}`);
    if (plan.order === 'time') rankByTime(ops, file);
    if (outDir) mkdirSync(outDir, { recursive: true });
    budget.poll();
    const checked = await composeChecks(checkers, ops, { budgetMs: budget.wallLeftMs(), outDir, signal: budget.signal });
    const unreadable = Object.values(checked.checkers).find((r) => r.inputError)?.inputError as { file: string; line: number; detail: string } | undefined;
    if (unreadable) throw new HistoryFormatError(unreadable.file, unreadable.line, unreadable.detail);
    const results = tooLittleData(checked, ops);
    results.input = { file, format, order: plan.order, nilRead };
    return { file, exitCode: exitForValidity(results.valid), results, ...(keepOps ? { ops } : {}) };
  } catch (e) {
    return failed(file, e, io);
  }
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
export async function readInput(file: string, formatFlag: HistoryFormat | undefined): Promise<{ parsed: ParsedHistory & { warnings?: string[] }; format: HistoryFormat }> {
  const text = await readHistoryText(file);
  const format = formatFlag ?? guessFormat(file, text);
  // The EDN reader is loaded only for EDN: most histories are Rift's own JSONL.
  const parsed = format === 'edn' ? (await import('../history/edn.ts')).parseEdnHistory(text, file) : parseHistory(text, file);
  return { parsed, format };
}

/** An error as the CLI reports it (main.ts does the same for errors outside a file), and the file's exit code. */
function failed(file: string, e: unknown, io: CheckIo): FileOutcome {
  if (e instanceof CliError || e instanceof HistoryFormatError) {
    const { code, message } = exitForError(e);
    io.error(message);
    return { file, exitCode: code, error: e.message };
  }
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== undefined && UNREADABLE.has(code)) {
    const why = code === 'ENOENT' ? 'no such file' : (e as Error).message;
    io.error(`rift: ${file}: ${why}`);
    return { file, exitCode: EXIT.dataError, error: why };
  }
  io.error(`rift: internal error checking ${file}: ${(e as Error)?.stack ?? String(e)}`);
  return { file, exitCode: EXIT.internal, error: `internal error: ${(e as Error)?.message ?? String(e)}` };
}
