import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { netnsUnavailableReason, type Isolation } from './probe.ts';

/**
 * The isolation a run gets. Only the local target deploys regions, so only it takes `--isolation`; unasked, it
 * gets netns where the machine allows it and process otherwise, with a notice saying why. `docker` has no
 * backend in this build: it fails at once (exit 70), naming the missing container runtime when there is none.
 */
export function chooseIsolation(
  target: string, asked: string | undefined, notice: (line: string) => void,
  probe: () => string | undefined = netnsUnavailableReason, runtime: () => string | undefined = containerRuntime,
): Isolation | undefined {
  if (target !== 'local') {
    if (asked !== undefined) throw new CliError(`--isolation applies to --target local only (target "${target}" deploys its own processes)`, EXIT.usage);
    return undefined;
  }
  if (asked === 'docker') {
    const found = runtime();
    throw new CliError(found === undefined
      ? '--isolation docker: no container runtime was found (no docker or podman on PATH, no /var/run/docker.sock); use --isolation netns or process'
      : `--isolation docker: ${found} was found, but this build has no docker backend; run the images of docker/ and drive them with --target external`, EXIT.internal);
  }
  if (asked === 'process') return 'process';
  const why = probe();
  if (asked === 'netns') {
    if (why) throw new CliError(`--isolation netns is not available here: ${why}`, EXIT.usage);
    return 'netns';
  }
  if (asked !== undefined) throw new CliError(`--isolation must be one of netns, process, docker (got "${asked}")`, EXIT.usage);
  if (why) {
    notice(`rift: isolation process (regions share 127.0.0.1 and can bypass Toxiproxy): netns unavailable, ${why}`);
    return 'process';
  }
  return 'netns';
}

/** The container runtime this machine has, if any: a docker or podman binary on PATH, or a Docker socket. */
export function containerRuntime(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const bin of ['docker', 'podman']) if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return existsSync('/var/run/docker.sock') ? '/var/run/docker.sock' : undefined;
}
