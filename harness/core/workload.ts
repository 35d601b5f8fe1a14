import type { Checker } from './checker.ts';
import type { Client } from './client.ts';
import type { Generator } from './generator.ts';

/** What the runner needs from a workload: operations to run, and how to judge the history they make. */
export interface Workload {
  readonly name: string;
  /** Client operations for the main phase; endless (the runner bounds it by time). */
  generator: Generator;
  /** Reads issued after faults are healed and writes have stopped (`meta.final: true`). */
  finalGenerator?: Generator;
  checkers: Checker[];
  /** Operation names the target's client must support. */
  readonly fs: ReadonlySet<string>;
}

export interface WorkloadOptions {
  regions: readonly string[];
  /** Namespace prefix for keys, choosing tier and type on the layer (e.g. "critical/"). */
  keyPrefix?: string;
  keyCount?: number;
  /** Fraction of operations that read. */
  readRatio?: number;
  /** Check budget per checker, ms. */
  checkBudgetMs?: number;
  /** The target the run drives, when known: checkers of what only the layer reports are left out elsewhere. */
  target?: string;
}

/** Builds the client a workload talks through, for one target kind. */
export interface ClientFactory {
  (endpoints: Readonly<Record<string, { host: string; port: number }>>, opTimeoutMs: number): Client;
}
