import type { RunSpec } from '../core/run-spec.ts';

/** A shell command line that anyone with a clone can paste: every word quoted only where the shell needs it. */
export const rerunCommand = (args: readonly string[]): string =>
  ['npx', 'rift', 'run', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

/**
 * The `rift run` arguments that give this very run again: every option in force, defaults included, the seed
 * above all (parseRunSpec's inverse; where it is stored is left out, so the command works from any clone).
 */
export function runArgs(spec: RunSpec): string[] {
  const opt = (name: string, v: string | number | undefined): string[] => (v === undefined ? [] : [`--${name}`, String(v)]);
  return [
    ...opt('target', spec.target),
    ...opt('isolation', spec.isolation),
    ...opt('config', spec.config),
    ...Object.entries(spec.targetOptions ?? {}).flatMap(([k, v]) => ['--target-option', `${k}=${v}`]),
    ...opt('workload', spec.workload),
    ...opt('nemesis', spec.faults.length ? spec.faults.join(',') : 'none'),
    ...opt('regions', spec.regions.join(',')),
    ...opt('time-limit', spec.timeLimitS),
    ...opt('concurrency', spec.concurrency),
    ...opt('rate', spec.rate),
    ...opt('seed', spec.seed),
    ...(spec.bugs.length ? opt('bugs', spec.bugs.join(',')) : []),
    ...opt('key-prefix', spec.keyPrefix),
    ...opt('keys', spec.keyCount),
    ...opt('read-ratio', spec.readRatio),
    ...opt('nemesis-interval', spec.nemesisIntervalS),
    ...opt('max-down', spec.maxDown),
    ...opt('max-fault-steps', spec.maxFaultSteps),
    ...opt('settle', spec.settleS),
    ...opt('converge-timeout', spec.convergeTimeoutS),
    ...opt('op-timeout', spec.opTimeoutMs),
    ...opt('check-budget', spec.checkBudgetS),
  ];
}
