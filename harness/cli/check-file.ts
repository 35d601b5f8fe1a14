import { mkdirSync } from 'node:fs';
import type { Checker } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import { HistoryFormatError, readHistory } from '../history/reader.ts';
import { pairOps } from '../history/pairs.ts';
import { composeChecks } from '../../checkers/compose.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import type { Budget } from './budget.ts';
import type { FileOutcome } from './check-outcome.ts';
import { CliError, EXIT, exitForValidity } from './exit-codes.ts';

/**
 * How to check a file: everything the flags decided, the same for every file of a call. Plain data, so a
 * worker thread checking files of the call gets the very same plan.
 */
export interface CheckPlan {
  format?: 'jsonl' | 'edn';
  checkers: readonly string[];
  /** The checkers' options from the flags (model, initial, consistencyModels). */
  checkerOptions: Record<string, unknown>;
  budget: { wallS?: number; cpuS?: number };
}

/** Fresh checkers per file: a checker may keep state between calls. The budget reaches them through CheckOptions. */
const createCheckers = (plan: CheckPlan): Checker[] => plan.checkers.map((name) => CHECKERS[name].create({ ...plan.checkerOptions }));

/** Errors of opening a history that are the input's fault, not Rift's. */
const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * Reads, validates and checks one history. An error that keeps it from a verdict is reported on stderr as the
 * CLI reports errors, and comes back as the file's outcome with its exit code: it never stops the other files.
 */
export async function checkFile(file: string, plan: CheckPlan, budget: Budget, outDir: string | undefined): Promise<FileOutcome> {
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
    budget.poll();
    const results = await composeChecks(createCheckers(plan), ops, { budgetMs: budget.wallLeftMs(), outDir, signal: budget.signal });
    return { file, exitCode: exitForValidity(results.valid), results };
  } catch (e) {
    return failed(file, e);
  }
}

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
