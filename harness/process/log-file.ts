import { readFileSync, statSync } from 'node:fs';

/**
 * Where a process log ends now, and what was written past a mark: a (re)start reads only its own lines, so an error
 * or ready message from an earlier life of the process is not mistaken for this one. A log not yet created is empty.
 */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function logSince(file: string, fromByte: number): string {
  try {
    return readFileSync(file).subarray(fromByte).toString('utf8');
  } catch {
    return '';
  }
}
