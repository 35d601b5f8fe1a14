import type { Op } from './op.ts';

/** The completion a client reports for one invocation; `time` and `process` are filled in by the interpreter. */
export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value: unknown;
  error?: string;
  meta?: Record<string, unknown>;
  node?: string;
}

/**
 * A client talks to one region of the system on behalf of one logical process.
 * invoke must never throw for an operation outcome: an unknown outcome is `info`, a definite refusal `fail`.
 */
export interface Client {
  /** A fresh client bound to a region; called once per process id. */
  open(region: string, process: number): Promise<Client>;
  /** Called once per run on one client, before any operation (create keys, tables). */
  setup?(): Promise<void>;
  invoke(op: Op, signal: AbortSignal): Promise<Completion>;
  teardown?(): Promise<void>;
  close(): Promise<void>;
}
