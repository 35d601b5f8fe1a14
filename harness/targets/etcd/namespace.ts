import { spawnSync } from 'node:child_process';

/**
 * Runs a command with its own view of /etc/hosts: in a private mount namespace (util-linux `unshare`), the given
 * file is bind-mounted over /etc/hosts and the command exec'd, so the process keeps the pid (and process group) it
 * was spawned with. Root needs nothing more; another user gets a user namespace as well (`-r`), which needs
 * unprivileged user namespaces enabled.
 */

const MOUNT_AND_EXEC = 'mount --bind "$0" /etc/hosts && exec "$@"';

export function withHostsFile(hostsFile: string, command: string, args: readonly string[]): { command: string; args: string[] } {
  const asRoot = process.getuid?.() === 0;
  return { command: 'unshare', args: [...(asRoot ? [] : ['-r']), '-m', '--propagation', 'private', 'sh', '-c', MOUNT_AND_EXEC, hostsFile, command, ...args] };
}

/**
 * Checks once, before any member starts, that this machine lets us do that, and says what to change if not: a
 * member that dies at once with "unshare: Operation not permitted" in its log would be a poorer message.
 */
export function checkHostsIsolation(hostsFile: string): void {
  const { command, args } = withHostsFile(hostsFile, 'true', []);
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return;
  const why = (r.error?.message ?? r.stderr ?? '').trim() || `exit ${r.status}`;
  throw new Error(
    `the etcd target gives each member its own /etc/hosts (so that every pair of members has its own proxy) by running it under ` +
      `\`${command} ${args.slice(0, args.indexOf('sh')).join(' ')}\`, which failed here: ${why}. As root this needs CAP_SYS_ADMIN; as another ` +
      'user it needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu also ' +
      'kernel.apparmor_restrict_unprivileged_userns=0)',
  );
}
