import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reapPidFile } from '../process/spawn.ts';
import { parse } from './args.ts';
import { EXIT } from './exit-codes.ts';

/** Every pids.jsonl under the store: one per run directory. */
function pidFiles(dir: string, depth = 0): string[] {
  if (depth > 3 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'pids.jsonl') out.push(p);
    else if (name !== 'data' && name !== 'logs' && statSync(p, { throwIfNoEntry: false })?.isDirectory()) out.push(...pidFiles(p, depth + 1));
  }
  return out;
}

/** Kills what runs killed with SIGKILL (no chance to clean up) left behind, using the pid files they wrote. */
export async function cleanCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { store: { type: 'string' } }, false);
  const store = resolve(values.store ?? 'store');
  let killed = 0;
  for (const file of pidFiles(store)) {
    for (const r of reapPidFile(file)) {
      console.log(`killed ${r.name} (process group ${r.pgid}) from ${file}`);
      killed++;
    }
  }
  console.log(killed === 0 ? 'nothing left behind' : `killed ${killed} process group(s)`);
  return EXIT.valid;
}
