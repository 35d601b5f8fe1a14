import { CliError, EXIT } from './exit-codes.ts';

/**
 * A check's budget, counted from the start of the process (not from the end of start-up and parsing), so
 * `--budget 2` means the call ends after about 2 s of wall time whatever it spent before checking. `--budget-cpu`
 * counts CPU seconds of the whole process instead (every thread), for a loaded machine where wall time says
 * little. When the budget runs out, `signal` aborts: the checks still running stop with an unknown verdict and
 * those not yet started are not run (unknown too).
 */
export interface Budget {
  readonly signal: AbortSignal;
  /** Milliseconds of wall time left for a checker's own deadline; undefined when only CPU time is counted. */
  wallLeftMs(): number | undefined;
  /** Samples CPU time now (a check that never yields cannot be interrupted, but the next one sees the result). */
  poll(): void;
  dispose(): void;
}

/** How often CPU time is sampled: a CPU budget is honoured to within this much wall time, when checks yield. */
const CPU_POLL_MS = 20;

/** Parses `--budget` / `--budget-cpu` (seconds, > 0); at most one may be given. */
export function budgetFlags(wall: string | undefined, cpu: string | undefined): { wallS?: number; cpuS?: number } {
  if (wall !== undefined && cpu !== undefined) throw new CliError('give either --budget or --budget-cpu, not both', EXIT.usage);
  const seconds = (name: string, raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a number of seconds > 0 (got "${raw}")`, EXIT.usage);
    return n;
  };
  if (wall !== undefined) return { wallS: seconds('budget', wall) };
  if (cpu !== undefined) return { cpuS: seconds('budget-cpu', cpu) };
  return {};
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function startBudget(b: { wallS?: number; cpuS?: number }): Budget {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const none = (): void => {};
  if (b.wallS !== undefined) {
    const limit = b.wallS * 1000;
    // performance.now() counts from the process's time origin, i.e. its start.
    const left = limit - performance.now();
    if (left <= 0) controller.abort();
    else timer = setTimeout(() => controller.abort(), left).unref();
    return {
      signal: controller.signal,
      wallLeftMs: () => Math.max(1, limit - performance.now()),
      poll: none,
      dispose: () => clearTimeout(timer),
    };
  }
  let poll = none;
  if (b.cpuS !== undefined) {
    const limit = b.cpuS * 1000;
    poll = (): void => {
      if (controller.signal.aborted || cpuMs() < limit) return;
      controller.abort();
      clearInterval(timer);
    };
    timer = setInterval(poll, CPU_POLL_MS).unref();
    poll();
  }
  return { signal: controller.signal, wallLeftMs: () => undefined, poll, dispose: () => clearInterval(timer) };
}
