import type { Validity } from '../core/checker.ts';
import { HistoryFormatError } from '../history/format-error.ts';

/** The CLI's exit codes (README "Exit codes"); sysexits.h numbers for the error cases. */
export const EXIT = {
  valid: 0,
  anomalies: 1,
  unknown: 2,
  usage: 64,
  dataError: 65,
  internal: 70,
} as const;

export const exitForValidity = (v: Validity): number =>
  v === true ? EXIT.valid : v === false ? EXIT.anomalies : EXIT.unknown;

/** An error the CLI reports as one line with a chosen exit code, instead of a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code and the one line `rift` prints for an error that ended a command (main.ts). */
export function exitForError(e: unknown): { code: number; message: string } {
  if (e instanceof CliError) return { code: e.exitCode, message: `rift: ${e.message}` };
  if (e instanceof HistoryFormatError) return { code: EXIT.dataError, message: `rift: bad history: ${e.message}` };
  return { code: EXIT.internal, message: `rift: internal error: ${(e as Error)?.stack ?? String(e)}` };
}
