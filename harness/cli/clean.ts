import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { groupGone, reapPidFile, type PidRecord } from '../process/spawn.ts';
import { cleanResources } from '../isolation/netns.ts';
import { parse } from './args.ts';
import { EXIT } from './exit-codes.ts';

/** Every file called `file` (pids.jsonl, netns.jsonl) under the store: one per run directory. */
function runFiles(dir: string, file: string, depth = 0): string[] {
  if (depth > 3 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === file) out.push(p);
    else if (name !== 'data' && name !== 'logs' && statSync(p, { throwIfNoEntry: false })?.isDirectory()) out.push(...runFiles(p, file, depth + 1));
  }
  return out;
}

export const CLEAN_USAGE = `rift clean [--store DIR]

  Kills the process groups that runs killed with SIGKILL left behind, from the pids.jsonl of every run under
  the store, then removes the network namespaces and veth links their netns.jsonl files record. A line of a pid
  file that is torn or not a pid record is skipped, and said so; the rest is reaped.
  --store DIR           the store (default ./store)
  --help                this text`;

/**
 * Kills what runs killed with SIGKILL (no chance to clean up) left behind, using the pid files they wrote, then
 * removes the network namespaces and veth links their netns.jsonl files record.
 */
export async function cleanCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { store: { type: 'string' }, help: { type: 'boolean' } }, false);
  if (values.help) {
    console.log(CLEAN_USAGE);
    return EXIT.valid;
  }
  const store = resolve(values.store ?? 'store');
  let killed = 0;
  let skipped = 0;
  for (const file of runFiles(store, 'pids.jsonl')) {
    // A harness killed mid-append leaves a torn last line: skip what cannot be read, reap the groups that can.
    let reaped: PidRecord[];
    try {
      reaped = reapPidFile(file, (line, why) => {
        console.error(`rift: skipped ${file}:${line}: ${why}`);
        skipped++;
      });
    } catch (e) {
      console.error(`rift: skipped ${file}: ${(e as Error).message}`);
      skipped++;
      continue;
    }
    for (const r of reaped) {
      console.log(`killed ${r.name} (process group ${r.pgid}) from ${file}`);
      killed++;
    }
    // SIGKILL is delivered, not yet done: wait until the groups are gone (in a PID namespace, until its init has
    // taken its members down), so that clean reports what is really left and a second clean finds nothing.
    for (const r of reaped) {
      if (!(await groupGone(r.pgid, 5_000))) console.error(`rift: process group ${r.pgid} (${r.name}) was killed but has not exited yet`);
    }
  }
  let removed = 0;
  for (const file of runFiles(store, 'netns.jsonl')) {
    let gone;
    try {
      gone = cleanResources(file);
    } catch (e) {
      // One damaged file must not stop the others from being cleaned.
      console.error(`rift clean: skipped ${(e as Error).message}`);
      continue;
    }
    for (const r of gone) {
      console.log(`removed namespace ${r.ns} and link ${r.hostIf} from ${file}`);
      removed++;
    }
  }
  console.log(killed + removed === 0 ? 'nothing left behind' : `killed ${killed} process group(s), removed ${removed} namespace(s)`);
  if (skipped > 0) console.log(`skipped ${skipped} unreadable pid record(s) or file(s) (see above)`);
  return EXIT.valid;
}
