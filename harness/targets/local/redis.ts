import { mkdirSync } from 'node:fs';
import { logSize } from '../../process/log-file.ts';
import { spawnGroup, type ProcessGroup } from '../../process/spawn.ts';
import { Wait, waitUntilReady } from '../../process/wait.ts';

/**
 * One region's Redis: loopback only, no RDB snapshots, and an append-only file fsynced on every write, so
 * a SIGKILLed region restarts with every acknowledged write (the durability the layer is entitled to).
 */
export async function startRedis(opts: { name: string; port: number; dataDir: string; logFile: string; pidFile?: string }): Promise<ProcessGroup> {
  mkdirSync(opts.dataDir, { recursive: true });
  const from = logSize(opts.logFile);
  const g = spawnGroup({
    name: opts.name,
    command: process.env.RIFT_REDIS_BIN ?? 'redis-server',
    args: [
      '--port', String(opts.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--dir', opts.dataDir, '--daemonize', 'no', '--logfile', '',
    ],
    logFile: opts.logFile,
    pidFile: opts.pidFile,
  });
  try {
    // Redis accepts connections while it still loads the AOF (answering LOADING); only this line means data is back.
    const ready = Wait.forAll([Wait.forTcp('127.0.0.1', opts.port), Wait.forLog(opts.logFile, /Ready to accept connections/, 15_000, from)], 15_000);
    await waitUntilReady(ready, { name: opts.name, logFile: opts.logFile, exited: g.exited });
  } catch (e) {
    await g.stop(200);
    throw e;
  }
  return g;
}

