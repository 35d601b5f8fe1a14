/**
 * The process groups this harness started that may still have members, and the guarantee that none outlives it:
 * handlers on `exit`, SIGINT, SIGTERM and SIGHUP that SIGKILL every registered group (then exit with 128+signal).
 * Apart from spawn.ts, which starts the groups, so that a command starting none (`rift check`) loads no
 * child_process at start-up.
 */

const registry = new Map<number, string>();

/** Records a group this harness started (spawn.ts), until untrackGroup. */
export function trackGroup(pgid: number, name: string): void {
  registry.set(pgid, name);
}

export function untrackGroup(pgid: number): void {
  registry.delete(pgid);
}

/** Sends a signal to a whole group; false if no process of it is left. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Process groups this harness started that may still have members. */
export function liveGroups(): { pgid: number; name: string }[] {
  return [...registry].map(([pgid, name]) => ({ pgid, name }));
}

/** SIGKILLs every registered group. Synchronous, because it runs inside `exit` handlers. */
export function killAllGroups(): void {
  for (const pgid of registry.keys()) killGroup(pgid, 'SIGKILL');
  registry.clear();
}

let installed = false;
let uncaughtInstalled = false;
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function installCleanup(opts: { uncaught?: boolean } = {}): void {
  if (!installed) {
    installed = true;
    process.on('exit', killAllGroups);
    for (const [signal, code] of Object.entries(SIGNAL_EXIT) as [NodeJS.Signals, number][]) {
      process.on(signal, () => {
        killAllGroups();
        process.exit(code);
      });
    }
  }
  if (opts.uncaught && !uncaughtInstalled) {
    uncaughtInstalled = true;
    process.on('uncaughtException', (err) => {
      killAllGroups();
      process.stderr.write(`rift: uncaught error, all child processes killed: ${err.stack ?? err}\n`);
      // 70, the CLI's code for an internal failure: 1 would read as "anomalies found".
      process.exit(70);
    });
  }
}
