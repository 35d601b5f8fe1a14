/** One line of history.jsonl, exactly as ../shared/design/HISTORY.md defines it. */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type ProcessId = number | 'nemesis';

export interface Op {
  type: OpType;
  process: ProcessId;
  f: string;
  key?: string;
  value: unknown;
  /** Nanoseconds since the run started, from a monotonic clock. */
  time: number;
  region?: string;
  node?: string;
  error?: string;
  meta?: Record<string, unknown>;
}

/** An event as a checker sees it: the op plus its position in the file. */
export interface IndexedOp extends Op {
  /** 0-based position among the history's events; the primary real-time order. */
  index: number;
  /** 1-based line number in the file it was read from, for messages that point at input. */
  line: number;
}

/** An invocation joined with its completion (see harness/history/pairs.ts). */
export interface OpPair {
  invoke: IndexedOp;
  /** Missing when the run ended first; such a pair counts as `info`. */
  complete?: IndexedOp;
  /** The completion type, with a missing completion counted as `info`. */
  type: Exclude<OpType, 'invoke'>;
}

export const isClientOp = (op: Op): boolean => op.process !== 'nemesis';
