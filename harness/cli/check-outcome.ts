import { relative } from 'node:path';
import type { Results } from '../core/checker.ts';
import type { IndexedOp } from '../core/op.ts';
import { normalise } from '../../reports/json.ts';
import { EXIT } from './exit-codes.ts';

/** What checking one history file came to: a verdict, or the error that kept it from one. */
export interface FileOutcome {
  file: string;
  exitCode: number;
  results?: Results;
  error?: string;
  /** The history, when asked for (checkFile's keepOps). */
  ops?: IndexedOp[];
}

/**
 * Exit codes from worst to best, for a call that checks many files. Errors outrank verdicts, because a file
 * that could not be checked at all says less than any verdict: internal (70), bad input (65), usage (64, e.g. a
 * model that does not fit one file). Then the verdicts as checkers merge them: anomalies (1), unknown (2),
 * valid (0). Every file is still checked and gets its own line, so a bad file never hides another's anomaly.
 */
export const EXIT_SEVERITY: readonly number[] = [EXIT.internal, EXIT.dataError, EXIT.usage, EXIT.anomalies, EXIT.unknown, EXIT.valid];

export function worstExit(codes: readonly number[]): number {
  const rank = (c: number): number => {
    const i = EXIT_SEVERITY.indexOf(c);
    return i < 0 ? 0 : i;
  };
  return codes.reduce((worst, c) => (rank(c) < rank(worst) ? c : worst), EXIT.valid);
}

const WORD: Record<number, string> = {
  [EXIT.valid]: 'VALID', [EXIT.anomalies]: 'INVALID', [EXIT.unknown]: 'UNKNOWN',
  [EXIT.usage]: 'USAGE', [EXIT.dataError]: 'BAD INPUT', [EXIT.internal]: 'ERROR',
};
const firstLine = (s: string, max = 160): string => {
  const line = s.split('\n')[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** One line per file: its verdict, its path, and for anything but valid the first reason (checker: why). */
export function fileLine(o: FileOutcome): string {
  const word = (WORD[o.exitCode] ?? `EXIT ${o.exitCode}`).padEnd(9);
  const path = relative(process.cwd(), o.file) || o.file;
  if (o.error !== undefined) return `${word} ${path} — ${firstLine(o.error)}`;
  const notValid = Object.entries(o.results?.checkers ?? {}).find(([, r]) => r.valid !== true);
  return notValid ? `${word} ${path} — ${notValid[0]}: ${firstLine(String(notValid[1].reason ?? notValid[1].valid))}` : `${word} ${path}`;
}

/** The closing line of a many-file check: how many files came to each outcome, and the exit code. */
export function totalsLine(outcomes: readonly FileOutcome[]): string {
  const count = (code: number): number => outcomes.filter((o) => o.exitCode === code).length;
  const parts = [
    `${count(EXIT.valid)} valid`, `${count(EXIT.anomalies)} with anomalies`, `${count(EXIT.unknown)} unknown`,
    `${count(EXIT.dataError)} bad input`, `${count(EXIT.usage)} usage errors`, `${count(EXIT.internal)} internal errors`,
  ];
  return `checked ${outcomes.length} histories: ${parts.join(', ')}; exit ${worstExit(outcomes.map((o) => o.exitCode))}`;
}

/**
 * The results.json of a many-file check: the worst exit code, then per file (in the order checked) its exit
 * code and either its checkers' results, as a one-file results.json holds them, or its error.
 */
export function combinedResultsJson(outcomes: readonly FileOutcome[]): string {
  const files = outcomes.map((o) => ({
    file: o.file,
    exitCode: o.exitCode,
    ...(o.results ? (normalise({ valid: o.results.valid, checkers: o.results.checkers }) as object) : {}),
    ...(o.error !== undefined ? { error: o.error } : {}),
  }));
  const doc = { exitCode: worstExit(outcomes.map((o) => o.exitCode)), files };
  return JSON.stringify(doc, null, 2) + '\n';
}
