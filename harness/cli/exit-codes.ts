import type { Validity } from '../core/checker.ts';

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
