/**
 * Stops this process as SIGTERM would when the process that started it exits. `npx rift run` is three processes
 * (npm exec → sh → node); a CI timeout signals only the first, npm exits without passing the signal on, and
 * the harness would run to its end with no one waiting for it, keeping Redis, the nodes and Toxiproxy alive.
 * Sending SIGTERM to ourselves takes the one path every signal takes (harness/process/spawn.ts: kill every
 * child group, exit 143).
 */
const POLL_MS = 250;

export function stopWhenOrphaned(): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    // process.ppid is read from the OS on each access: a dead parent leaves us to init or a subreaper.
    if (process.ppid !== parent) {
      clearInterval(timer);
      process.stderr.write(`rift: the process that started rift (pid ${parent}) has exited; stopping as on SIGTERM\n`);
      process.kill(process.pid, 'SIGTERM');
    }
  }, POLL_MS).unref();
  return () => clearInterval(timer);
}
