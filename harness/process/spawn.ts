import { spawn as spawnChild } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { installCleanup, killGroup, trackGroup, untrackGroup } from './groups.ts';

/**
 * Child processes in their own process groups, and the guarantee that none outlives the harness.
 *
 * Every child starts as the leader of a new process group (`detached: true`, i.e. setsid), so one
 * `kill(-pgid)` reaches it and anything it forks. Live groups are kept in a registry (groups.ts); the first
 * spawn installs handlers on `exit`, SIGINT, SIGTERM and SIGHUP that SIGKILL every registered group (then exit
 * with 128+signal). A thrown error ends the process through `exit`, so it is covered too; a CLI that
 * wants the error printed before cleanup calls `installCleanup({ uncaught: true })`.
 *
 * A harness killed with SIGKILL runs no handler, so each spawn is also appended to a pid file in the run
 * dir (`pids.jsonl`); `reapPidFile` kills what a crashed run left behind. Each line records the leader's
 * kernel start time, so a recycled pid belonging to someone else is never killed.
 */

export interface SpawnOptions {
  /** Short name for messages and the pid file, e.g. "redis us-east". */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the group is recorded for reaping after a crash (see reapPidFile). */
  pidFile?: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessGroup extends AsyncDisposable {
  readonly name: string;
  /** The leader's pid, which is also the process group id. */
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the leader exits. */
  readonly exited: Promise<ExitStatus>;
  readonly running: boolean;
  /** Sends `signal` to every process of the group; false when the group no longer exists. */
  kill(signal?: NodeJS.Signals): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

export interface PidRecord {
  name: string;
  pgid: number;
  /** Field 22 of /proc/<pid>/stat: identifies this process among any later holders of the pid. */
  startTime: string | null;
  command: string;
}

/**
 * Live (non-zombie) processes of a group. Zombies are counted as gone: they have exited and only wait to
 * be reaped, which in containers whose pid 1 does not reap may never happen.
 */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/**
 * Resolves once every live member of the group is stopped (state T, after SIGSTOP) or, with
 * `stopped = false`, once none is. Signals are delivered asynchronously, so "sent" is not yet "in effect".
 */
export async function groupInState(pgid: number, stopped: boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    const states = groupMembers(pgid).map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0];
      } catch {
        return 'gone';
      }
    });
    if (states.length > 0 && states.every((st) => st === 'gone' || (st === 'T') === stopped)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** True while `pid` exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return groupMembers(pgid).length > 0;
}

/**
 * Resolves once no process of the group is left (a killed member lingers until its parent, often init,
 * reaps it). Gives up after `ms`; the caller has already sent SIGKILL, so only reaping is outstanding.
 */
export async function groupGone(pgid: number, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after it are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function spawnGroup(opts: SpawnOptions): ProcessGroup {
  installCleanup();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  let child;
  try {
    child = spawnChild(opts.command, [...opts.args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    // spawn reports ENOENT and the like asynchronously, as an 'error' event; the missing pid already says it failed.
    child.once('error', () => undefined);
    throw new Error(`could not start ${opts.name}: ${opts.command} is missing or not executable`);
  }
  trackGroup(pid, opts.name);
  if (opts.pidFile) {
    mkdirSync(dirname(opts.pidFile), { recursive: true });
    const record: PidRecord = { name: opts.name, pgid: pid, startTime: processStartTime(pid), command: opts.command };
    appendFileSync(opts.pidFile, JSON.stringify(record) + '\n');
  }
  let running = true;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      // Members that outlive their leader keep the group id; keep tracking the group until it is empty.
      if (!groupAlive(pid)) untrackGroup(pid);
      resolve({ code, signal });
    });
  });

  const kill = (signal: NodeJS.Signals = 'SIGKILL'): boolean => {
    const hit = killGroup(pid, signal);
    if (signal === 'SIGKILL') void exited.then(() => { if (!groupAlive(pid)) untrackGroup(pid); });
    return hit;
  };
  const stop = async (graceMs = 3000): Promise<ExitStatus> => {
    if (!running) {
      killGroup(pid, 'SIGKILL');
      await groupGone(pid);
      untrackGroup(pid);
      return exited;
    }
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    const status = await exited;
    clearTimeout(timer);
    // Stragglers that ignored SIGTERM must not survive the leader.
    killGroup(pid, 'SIGKILL');
    await groupGone(pid);
    untrackGroup(pid);
    return status;
  };
  return {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    exited,
    get running() {
      return running;
    },
    kill,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

/** Called for a line of a pid file that is not a pid record (a torn last line after a crash), instead of throwing. */
export type OnTornLine = (line: number, why: string) => void;

/** The records of a pid file; a line that is not one throws, or with `onTorn` is reported there and skipped. */
export function readPidFile(path: string, onTorn?: OnTornLine): PidRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const records: PidRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const r = JSON.parse(line) as PidRecord;
      if (typeof r !== 'object' || r === null || typeof r.pgid !== 'number' || r.pgid <= 1) throw new Error('field "pgid" must be a pid greater than 1');
      records.push(r);
    } catch (e) {
      if (!onTorn) throw new Error(`${path}:${i + 1}: not a pid record: ${(e as Error).message}`);
      onTorn(i + 1, `not a pid record: ${(e as Error).message}`);
    }
  });
  return records;
}

/**
 * Kills the groups a previous (crashed) run recorded that are still alive and still the same processes.
 * Returns the records it killed.
 */
export function reapPidFile(path: string, onTorn?: OnTornLine): PidRecord[] {
  const killed: PidRecord[] = [];
  for (const r of readPidFile(path, onTorn)) {
    if (!groupAlive(r.pgid)) continue;
    // A leader that exited leaves no start time to compare; its group is still ours only if the pgid was not reused,
    // which is possible only once the whole group is gone, so a live group with a dead leader is still the same group.
    const now = processStartTime(r.pgid);
    if (now !== null && r.startTime !== null && now !== r.startTime) continue;
    if (killGroup(r.pgid, 'SIGKILL')) killed.push(r);
  }
  return killed;
}
