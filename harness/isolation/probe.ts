import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** How the local target's own processes are separated; `docker` runs its regions as containers instead. */
export type Isolation = 'process' | 'netns';
export type RunIsolation = Isolation | 'docker';
export const ISOLATIONS: readonly string[] = ['netns', 'process', 'docker'];

/**
 * Whether this machine lets the harness make network namespaces: root, `ip`, `unshare` and `nsenter`, and an
 * `ip netns add` that works (containers without CAP_SYS_ADMIN refuse it). Returns the reason when not.
 */
export function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'making network namespaces needs root';
  const name = `rift-probe-${randomBytes(3).toString('hex')}`;
  try {
    for (const tool of ['unshare', 'nsenter']) execFileSync(tool, ['--version'], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'add', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return `ip netns / unshare / nsenter did not work: ${(err.stderr?.toString() || err.message).trim()}`;
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // The add failed, so there is nothing to delete.
    }
  }
  return undefined;
}
