/** Everything that defines a run; written to run.json so a run can be understood and repeated. */
export interface RunSpec {
  /** Names the run's folder in the store. */
  name: string;
  target: string;
  /** `--target-option` settings, by name (the target validates them and supplies defaults). */
  targetOptions?: Record<string, string>;
  workload: string;
  /** Fault kinds for the nemesis schedule; empty for a fault-free run. */
  faults: string[];
  regions: string[];
  /** Length of the main (faulted) phase, seconds. */
  timeLimitS: number;
  /** Client worker threads across all regions. */
  concurrency: number;
  /** Target rate of client operations per second, across all workers. */
  rate: number;
  seed: number;
  /** Layer bug switches to turn on (calibration runs). */
  bugs: string[];
  /** Mean seconds between nemesis operations. */
  nemesisIntervalS: number;
  /** The most nemesis ops a fault stays in force for (the schedule's maxHoldSteps); absent means its default. */
  maxFaultSteps?: number;
  /** Most regions killed or paused at once; absent means all but one. */
  maxDown?: number;
  /** Seconds to wait after the final heal before final reads. */
  settleS: number;
  /**
   * After the settle, at most this many seconds waiting for every region to apply every write (targets that
   * report applied marks), before final reads; a region still behind then is a convergence finding. Default 30.
   */
  convergeTimeoutS?: number;
  opTimeoutMs: number;
  checkBudgetS: number;
  keyPrefix?: string;
  /** Keys the workload spreads its operations over (each workload has its own default). */
  keyCount?: number;
  /** Fraction of the workload's operations that read (each workload has its own default). */
  readRatio?: number;
  /** How the local target separates its regions: `netns` (namespaces), `process` (loopback processes) or `docker` (containers). */
  isolation?: 'netns' | 'process' | 'docker';
  /** The deployment config of `--target external` (absolute path). */
  config?: string;
  storeDir: string;
  /** Keep data/ and whole logs after a passing run too (a run that does not pass always keeps them). */
  keepData?: boolean;
}

export const DEFAULT_REGIONS = ['us-east', 'eu-west', 'ap-south'];
