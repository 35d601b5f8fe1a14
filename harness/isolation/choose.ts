import { CliError, EXIT } from '../cli/exit-codes.ts';
import { netnsUnavailableReason, type RunIsolation } from './probe.ts';
import { findContainerRuntime, GET_A_RUNTIME, LOOKED_AT } from './docker/find-runtime.ts';

/**
 * The isolation a run gets. Only the local target deploys regions, so only it takes `--isolation`; unasked, it
 * gets netns where the machine allows it and process otherwise, with a notice saying why. `docker` is asked for
 * only: where no container runtime is found it fails at once (exit 70), before anything is deployed, saying how to
 * get one.
 */
export function chooseIsolation(
  target: string, asked: string | undefined, notice: (line: string) => void,
  probe: () => string | undefined = netnsUnavailableReason, runtime: () => string | undefined = findContainerRuntime,
): RunIsolation | undefined {
  if (target !== 'local') {
    if (asked !== undefined) throw new CliError(`--isolation applies to --target local only (target "${target}" deploys its own processes)`, EXIT.usage);
    return undefined;
  }
  if (asked === 'docker') {
    if (runtime() === undefined) throw new CliError(`--isolation docker: no container runtime was found (looked at ${LOOKED_AT}). To get one: ${GET_A_RUNTIME}.`, EXIT.internal);
    return 'docker';
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
