/**
 * A signal that aborts when `parent` does or `ms` after now, whichever comes first, and `release` for when the work is
 * done. Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: such a composed signal is held only weakly, and under
 * GC pressure it was collected and never fired, leaving a request to a silent peer waiting forever (undici's own
 * request-signal following had the same fault). Here the timer holds the controller until it fires or is released.
 */
export function deadline(parent: AbortSignal | undefined, ms: number): { signal: AbortSignal; release: () => void } {
  const ac = new AbortController();
  const onParent = () => ac.abort(parent!.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  const timer = setTimeout(() => ac.abort(new DOMException('operation timed out', 'TimeoutError')), ms);
  return {
    signal: ac.signal,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
