/**
 * Client operations as intervals, for drawing. Unlike harness/history/pairs.ts this never throws: a report is
 * also how people look at a malformed history, so odd events are kept and counted instead of aborting the page.
 */
import type { IndexedOp, OpType } from '../../harness/core/op.ts';

export interface Span {
  process: number;
  region: string;
  invoke: IndexedOp;
  complete?: IndexedOp;
  /** Completion type; a missing completion counts as `info` (HISTORY.md). */
  type: Exclude<OpType, 'invoke'>;
  start: number;
  /** Completion time, or the end of the history for an op that never completed. */
  end: number;
}

export interface Spans {
  spans: Span[];
  /** First and last event time of the whole history (ns). */
  t0: number;
  t1: number;
  /** Events that did not fit the pairing rules, by line. */
  oddLines: number[];
}

export const NO_REGION = '(no region)';

export function opSpans(history: readonly IndexedOp[]): Spans {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const op of history) {
    if (op.time < t0) t0 = op.time;
    if (op.time > t1) t1 = op.time;
  }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  const spans: Span[] = [];
  const open = new Map<number, Span>();
  const oddLines: number[] = [];
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      const prev = open.get(op.process);
      if (prev) oddLines.push(op.line);
      const s: Span = { process: op.process, region: op.region ?? NO_REGION, invoke: op, type: 'info', start: op.time, end: t1 };
      open.set(op.process, s);
      spans.push(s);
    } else {
      const s = open.get(op.process);
      if (!s) {
        oddLines.push(op.line);
        continue;
      }
      open.delete(op.process);
      s.complete = op;
      s.type = op.type;
      s.end = op.time;
      if (s.region === NO_REGION && op.region) s.region = op.region;
    }
  }
  return { spans, t0, t1, oddLines };
}

/** History line → the span it belongs to (both the invoke and the completion line). */
export function spansByLine(spans: readonly Span[]): Map<number, Span> {
  const m = new Map<number, Span>();
  for (const s of spans) {
    m.set(s.invoke.line, s);
    if (s.complete) m.set(s.complete.line, s);
  }
  return m;
}
