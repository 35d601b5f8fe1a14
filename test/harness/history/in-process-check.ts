import { checkCommand } from '../../../harness/cli/check.ts';
import { exitForError } from '../../../harness/cli/exit-codes.ts';

export interface CheckRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `rift check` in this process, through the same function and exit-code mapping as bin/rift. */
export async function checkInProcess(argv: string[]): Promise<CheckRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { log: (s: unknown) => void out.push(String(s)), error: (s: unknown) => void err.push(String(s)) };
  let code: number;
  try {
    code = await checkCommand(argv, io);
  } catch (e) {
    const r = exitForError(e);
    err.push(r.message);
    code = r.code;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
