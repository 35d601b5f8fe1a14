import type { Completion } from '../../harness/core/client.ts';

/**
 * Turns a transport error into a completion. Only a connection that was refused proves the request never
 * left; every other failure (reset, timeout, abort) may have happened after the server acted, so it is `info`.
 */
export function transportFailure(e: unknown): Completion {
  const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  if (code === 'ECONNREFUSED') return { type: 'fail', value: null, error: 'connection refused' };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { type: 'info', value: null, error: 'timeout' };
  return { type: 'info', value: null, error: `${code ?? err.name ?? 'error'}: ${err.cause?.message ?? err.message ?? String(e)}` };
}
