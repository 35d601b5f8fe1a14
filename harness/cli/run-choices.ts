/**
 * Checks of `rift run` choices that only a registry can answer (the faults a target can take, the layer's bug
 * switches), made while the options are parsed so that a wrong one exits 64 before anything is deployed.
 */
import { BUG_SWITCHES } from '../../layer/config.ts';
import { FAULT_ALIASES, parseFaultNames } from '../nemesis/package.ts';
import type { TargetEntry } from '../targets/index.ts';
import { CliError, EXIT } from './exit-codes.ts';

/** The fault names a target takes, aliases included, for the message that refuses another. */
function faultNamesOf(entry: TargetEntry): string[] {
  const kinds = entry.faults ?? [];
  return kinds.flatMap((k) => [k, ...(FAULT_ALIASES[k] ?? [])]);
}

/** Refuses fault names the target cannot inject (a target that declares no fault list is left to the deployment). */
export function checkFaultsFor(entry: TargetEntry | undefined, faults: readonly string[]): void {
  if (!entry?.faults) return;
  const supported = entry.faults;
  const refused = faults.filter((f) => parseFaultNames([f]).kinds.some((k) => !supported.includes(k)));
  if (refused.length) {
    throw new CliError(`--nemesis: target "${entry.name}" cannot inject ${refused.map((f) => `"${f}"`).join(', ')}; its faults are ${faultNamesOf(entry).join(', ')} (or none)`, EXIT.usage);
  }
}

export function checkBugs(bugs: readonly string[]): void {
  const unknown = bugs.filter((b) => !(BUG_SWITCHES as readonly string[]).includes(b));
  if (unknown.length) {
    throw new CliError(`--bugs: unknown bug switch${unknown.length > 1 ? 'es' : ''} ${unknown.map((b) => `"${b}"`).join(', ')}; the layer's switches are ${BUG_SWITCHES.join(', ')}`, EXIT.usage);
  }
}
