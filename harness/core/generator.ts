import type { Op } from './op.ts';

/** What a generator knows when asked for the next operation. */
export interface GenContext {
  /** Nanoseconds since the run started. */
  time: number;
  /** Processes with no outstanding operation; 'nemesis' included when the nemesis is idle. */
  freeProcesses: readonly (number | 'nemesis')[];
  /** Client processes with an operation in flight. */
  busyProcesses: readonly number[];
  /** Region each client process is bound to. */
  regionOf(process: number): string;
  /** Deterministic randomness for this run (seeded). */
  random(): number;
}

/** A proposed operation: everything but type/time, which the interpreter stamps. */
export type OpTemplate = Omit<Op, 'type' | 'time'>;

export type GenResult =
  | { op: OpTemplate; next: Generator }
  /** Nothing now; ask again after the given time (ns) or after the next completion. */
  | { pending: true; until?: number; next: Generator }
  /** Exhausted. */
  | undefined;

/**
 * Generators are immutable values (as in Jepsen): asking for an op returns the op and the generator
 * to use next, so a schedule can be replayed from a seed and composed without hidden state.
 */
export interface Generator {
  op(ctx: GenContext): GenResult;
  /** Told of every event the interpreter records; returns the generator to use next. */
  update?(ctx: GenContext, event: Op): Generator;
}
