import type { Op } from './op.ts';

/** What a fault did, recorded as the `info` half of a nemesis pair. */
export interface FaultOutcome {
  /** Human-readable summary, e.g. "isolated us-east". */
  value: unknown;
  /** False when the fault was asked for but could not be applied; such faults do not count as coverage. */
  tookEffect: boolean;
  error?: string;
}

/** Injects faults. One Nemesis handles a set of `f` names; packages compose several. */
export interface Nemesis {
  readonly fs: ReadonlySet<string>;
  setup?(): Promise<void>;
  invoke(op: Op): Promise<FaultOutcome>;
  /** Undo every fault still in force; must succeed even after partial failures. */
  teardown(): Promise<void>;
}
