/**
 * A sequential specification for linearizability checking (after Porcupine's Model and Knossos's).
 * States are immutable; step never mutates its input.
 */
export const UNKNOWN: unique symbol = Symbol('unknown-output');
export type Unknown = typeof UNKNOWN;

export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /** With output UNKNOWN, step must be legal in every state and return the state the op would produce. */
  step(state: S, input: I, output: O | Unknown): { ok: boolean; next: S };
  equal(a: S, b: S): boolean;
  /** Equal states must hash equal. */
  hash(state: S): number;
  describeOp?(input: I, output: O | Unknown): string;
  describeState?(state: S): string;
}
