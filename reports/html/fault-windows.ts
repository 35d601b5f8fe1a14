/**
 * Fault windows as the report draws them: the shared timeline of harness/core/faults.ts (when each fault was in
 * force, which failed), plus the label written on each window.
 */
import type { IndexedOp } from '../../harness/core/op.ts';
import { brief } from './format.ts';
import { faultTimeline, type FailedFault, type FaultWindow as CoreWindow } from '../../harness/core/faults.ts';

export interface FaultWindow extends CoreWindow {
  /** What the report writes on the window. */
  label: string;
}

export type { FailedFault };

export interface FaultTimeline {
  windows: FaultWindow[];
  failed: FailedFault[];
}

export function faultWindows(history: readonly IndexedOp[]): FaultTimeline {
  const t = faultTimeline(history);
  const byLine = new Map(history.map((op) => [op.line, op]));
  const windows = t.windows.map((w): FaultWindow => {
    const invoke = byLine.get(w.startLine);
    const asked = invoke?.value;
    const label = typeof w.value === 'string' && w.value !== ''
      ? w.value
      : `${w.kind}${w.target ? ` ${w.target}` : asked == null ? '' : ` ${brief(asked, 40)}`}`;
    return { ...w, label };
  });
  return { windows, failed: t.failed };
}

/** Per fault kind: how often it was asked for, took effect, and failed — the fallback when run.json has no coverage. */
export function coverageFromHistory(t: FaultTimeline): Record<string, { asked: number; tookEffect: number; failed: number }> {
  const out: Record<string, { asked: number; tookEffect: number; failed: number }> = {};
  const row = (k: string) => (out[k] ??= { asked: 0, tookEffect: 0, failed: 0 });
  for (const w of t.windows) {
    row(w.kind).asked++;
    row(w.kind).tookEffect++;
  }
  for (const f of t.failed) {
    row(f.f).asked++;
    row(f.f).failed++;
  }
  return out;
}
