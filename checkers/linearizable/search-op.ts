import type { OpInput } from './model.ts';

/**
 * One operation of a partition, ready for the search and structured-clonable (it crosses to worker threads).
 * `call`/`ret` are positions in real-time order (history event index); an op whose outcome is unknown has
 * `unknown: true`, no return, and may take effect any time after its call or never.
 */
export interface SearchOp {
  /** History line of the invoke, and of the completion when there is one. */
  line: number;
  completeLine?: number;
  call: number;
  ret: number;
  input: OpInput;
  output: unknown;
  unknown: boolean;
}
