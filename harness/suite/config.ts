/**
 * The shape of `rift.config.ts`: projects (one kind of run each) and suites (named groups of projects with seeds,
 * gates and a time budget). Everything a project leaves out takes `rift run`'s default.
 */

/** What a project's runs must show to pass; each gate left out is not judged. */
export interface Gates {
  /** Every promise of the target's contract kept (the run's verdict). Default true. */
  contract?: boolean;
  /** Every requested fault took effect at least once. Default true. */
  faultCoverage?: boolean;
  /** The 99th percentile of the time from a fault's end until every region converged, seconds, at most this. */
  convergenceP99S?: number;
  /** Fraction of client operations that completed ok outside fault windows (0..1), at least this. */
  availabilityOutside?: number;
  /** Client operations per second the main phase achieved, at least this. */
  minRate?: number;
}

/** Seeds: a fixed list (the same runs every time), or `{ random: n }` fresh seeds drawn at each suite run. */
export type Seeds = readonly number[] | { readonly random: number };

export interface ProjectConfig {
  /** Lowercase letters, digits and dashes: it names the runs' folder and the JUnit classnames. */
  name: string;
  target?: string;
  targetOptions?: Readonly<Record<string, string>>;
  workload?: string;
  /** Fault kinds as `rift run --nemesis` takes them; `[]` for none. Default partition-isolate and kill. */
  faults?: readonly string[];
  regions?: readonly string[];
  time?: {
    /** Seconds of workload under faults. */
    limitS?: number;
    settleS?: number;
    nemesisIntervalS?: number;
    /** The most nemesis ops a fault stays in force for (`--max-fault-steps`). */
    maxFaultSteps?: number;
    convergeTimeoutS?: number;
    /** Milliseconds a client operation may take before it is recorded as indeterminate (`--op-timeout`). */
    opTimeoutMs?: number;
    /** Seconds the checkers may search before answering unknown (`--check-budget`). */
    checkBudgetS?: number;
  };
  load?: {
    concurrency?: number;
    rate?: number;
    keys?: number;
    keyPrefix?: string;
    /** Fraction of operations that read, 0 to 1. */
    readRatio?: number;
    /** Most regions down at once: a number or "minority". */
    maxDown?: number | 'minority';
  };
  seeds?: Seeds;
  gates?: Gates;
}

export interface SuiteConfig {
  /** Project names, in the order they run. */
  projects: readonly string[];
  /** Replaces every project's seeds. */
  seeds?: Seeds;
  /** Laid over each project's gates (a suite's gates win). */
  gates?: Gates;
  /** Seconds after which no further run is started; the runs left are reported as skipped. */
  budgetS?: number;
}

export interface RiftConfig {
  /** Where runs and suite results go, relative to the config file. Default ./store. */
  store?: string;
  projects: readonly ProjectConfig[];
  suites: Readonly<Record<string, SuiteConfig>>;
}

/** Types the config (as playwright's defineConfig does); validation happens when the config is loaded. */
export function defineConfig(config: RiftConfig): RiftConfig {
  return config;
}

export const DEFAULT_GATES: Required<Pick<Gates, 'contract' | 'faultCoverage'>> = { contract: true, faultCoverage: true };
