import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { spawnGroup, type ProcessGroup } from '../process/spawn.ts';

/**
 * One life of a namespaced region: a PID namespace and a mount namespace inside the region's network namespace.
 * Its init (`sleep`, pid 1 inside) is started through `ip netns exec … unshare --pid --fork --mount-proc`; every
 * process of the region is then started inside with `nsenter` into init's network, mount and PID namespaces.
 *
 * Killing init makes the kernel kill every process of the namespace at once: that is the region kill, with no
 * process able to outlive it. Pause stops every process of the region, found by its /proc ns links. The
 * mount namespace lays an empty tmpfs over the other regions' data directories, so a region sees only its own.
 * A restart starts a new sandbox in the same network namespace, keeping the region's address and data.
 */

export interface SandboxOptions {
  name: string;
  ns: string;
  /** Directories the region must not see (other regions' data). */
  hide: readonly string[];
  logFile: string;
  pidFile: string;
}

const INIT_SCRIPT = 'for d; do mount -t tmpfs -o size=64k,mode=0 rift-hidden "$d" || exit 1; done; exec sleep infinity';

export class RegionSandbox {
  private constructor(private readonly group: ProcessGroup, readonly initPid: number, private readonly pidNs: string, private readonly netNs: string) {}

  static async start(opts: SandboxOptions): Promise<RegionSandbox> {
    const group = spawnGroup({
      name: `${opts.name} init`,
      command: 'ip',
      args: ['netns', 'exec', opts.ns, 'unshare', '--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', INIT_SCRIPT, 'sh', ...opts.hide],
      logFile: opts.logFile,
      pidFile: opts.pidFile,
    });
    // `ip netns exec` execs unshare, so the group leader is unshare and its only child is the namespace's init.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const init = childOf(group.pid);
      if (init !== undefined && comm(init) === 'sleep') return new RegionSandbox(group, init, readlinkSync(`/proc/${init}/ns/pid`), readlinkSync(`/proc/${init}/ns/net`));
      if (!group.running || Date.now() > deadline) {
        await group.stop(0);
        throw new Error(`${opts.name}: its namespace init did not start (see ${opts.logFile})`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get alive(): boolean {
    return this.group.running;
  }

  /** The command line that runs `command` inside the region (its network, mount and PID namespaces). */
  wrap(command: string, args: readonly string[], cwd?: string): { command: string; args: string[] } {
    return {
      command: 'nsenter',
      args: ['--target', String(this.initPid), '--net', '--mount', '--pid', ...(cwd ? [`--wd=${cwd}`] : []), '--', command, ...args],
    };
  }

  /** Host pids of the region's processes: every member of its PID namespace, init included. */
  members(): number[] {
    return this.scan((pidNs) => pidNs === this.pidNs);
  }

  /**
   * Host pids of the region's launchers: `unshare` and the `nsenter`s, in the region's network namespace but the
   * host's PID namespace. An nsenter mirrors its child's job control: when the child stops it stops itself, and
   * once continued it continues the child.
   */
  private launchers(): number[] {
    return this.scan((pidNs, netNs) => pidNs !== this.pidNs && netNs === this.netNs);
  }

  private scan(match: (pidNs: string, netNs: string) => boolean): number[] {
    const out: number[] = [];
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        if (match(readlinkSync(`/proc/${e}/ns/pid`), readlinkSync(`/proc/${e}/ns/net`))) out.push(Number(e));
      } catch {
        // Exited while we looked.
      }
    }
    return out;
  }

  /** SIGSTOP to every process of the region; true once all of them are stopped. */
  async stop(ms = 2000): Promise<boolean> {
    signal(this.members(), 'SIGSTOP');
    return this.until(() => this.members().every((pid) => procState(pid) === 'T'), ms);
  }

  /**
   * SIGCONT to every process of the region, then to any launcher still stopped: a launcher that saw its child stop
   * only after a first SIGCONT stops itself again, so it is continued until none is left stopped.
   */
  async cont(ms = 2000): Promise<boolean> {
    signal(this.members(), 'SIGCONT');
    return this.until(() => {
      const stopped = [...this.members(), ...this.launchers()].filter((pid) => procState(pid) === 'T');
      signal(stopped, 'SIGCONT');
      return stopped.length === 0;
    }, ms);
  }

  private async until(cond: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (cond()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** SIGKILL to init: the kernel takes every process of the namespace with it. */
  async kill(): Promise<void> {
    try {
      process.kill(this.initPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await this.group.stop(0);
  }
}

/** Runs a command inside a network namespace only (for probes that must dial from a region's address). */
export function execInNetns(ns: string, command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, command, ...args], { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function signal(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Exited meanwhile.
    }
  }
}

function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}
