import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { logSize } from '../../process/log-file.ts';
import { spawnGroup, type ProcessGroup } from '../../process/spawn.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';

/** Turns a command line into the one that really runs (identity, or a namespace entry in front of it). */
export type Launcher = (command: string, args: readonly string[], cwd?: string) => { command: string; args: string[] };

export const plain: Launcher = (command, args) => ({ command, args: [...args] });

/**
 * One region's Redis: bound to one address (loopback, or the region's own under netns isolation), no RDB snapshots, and an append-only file fsynced on every write, so
 * a SIGKILLed region restarts with every acknowledged write (the durability the layer is entitled to).
 * It requires `password` (AUTH); the password goes in `configFile` (mode 0600), not on the command line, where
 * every local user could read it.
 */
export async function startRedis(opts: {
  name: string; port: number; password: string; configFile: string; dataDir: string; logFile: string; pidFile?: string;
  /** The address it binds (default 127.0.0.1; a namespaced region's own address). */
  host?: string;
  /** Wraps the command line, e.g. to start it inside a region's namespaces. */
  launch?: Launcher;
}): Promise<ProcessGroup> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(opts.configFile, `requirepass ${opts.password}\n`, { mode: 0o600 });
  chmodSync(opts.configFile, 0o600);
  const from = logSize(opts.logFile);
  const line = (opts.launch ?? plain)(process.env.RIFT_REDIS_BIN ?? 'redis-server', [
    opts.configFile, '--port', String(opts.port), '--bind', host, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
    '--dir', opts.dataDir, '--daemonize', 'no', '--logfile', '',
  ]);
  const g = spawnGroup({
    name: opts.name,
    ...line,
    logFile: opts.logFile,
    pidFile: opts.pidFile,
  });
  try {
    // Redis accepts connections while it still loads the AOF (answering LOADING); only this line means data is back.
    const ready = Wait.forAll([Wait.forTcp(host, opts.port), Wait.forLog(opts.logFile, /Ready to accept connections/, 15_000, from)], 15_000);
    await waitUntilReady(ready, { name: opts.name, logFile: opts.logFile, exited: g.exited });
  } catch (e) {
    await g.stop(200);
    throw e;
  }
  return g;
}

