/**
 * A linearizability counterexample in one sentence: the operation that cannot take effect, when it ran, the last
 * operation the longest order placed before it and when that one completed, and the states the model could be in.
 * Times come from the history (by line), so the sentence says what a reader can check against the timeline.
 */
import { describeOp, lineOf } from './describe-op.ts';
import { at, text } from './format.ts';
import type { Span } from './spans.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const when = (s: Span | undefined): string => (s ? (s.complete ? `from ${at(s.start)} to ${at(s.end)}` : `from ${at(s.start)}, never completing`) : '');

export function counterexampleSentence(c: Record<string, unknown>, byLine: ReadonlyMap<number, Span>): string | undefined {
  const stuck = rec(c.cannotPlace) ?? rec(c.stuck);
  if (!stuck) return undefined;
  const prefix = (Array.isArray(c.longestPrefix) ? c.longestPrefix : Array.isArray(c.prefix) ? c.prefix : []) as unknown[];
  const states = ((Array.isArray(c.statesReached) ? c.statesReached : Array.isArray(c.states) ? c.states : []) as unknown[]).map((s) => text(s, 40));
  const sl = lineOf(stuck);
  const ss = sl === undefined ? undefined : byLine.get(sl);
  const key = c.key === undefined ? '' : `On key ${text(c.key, 60)}, `;
  let out = `${key}${describeOp(stuck.op ?? stuck)} (line ${sl ?? '?'}${ss ? `, ${when(ss)}` : ''}) cannot take effect`;
  const last = rec(prefix[prefix.length - 1]);
  const ll = lineOf(last);
  const ls = ll === undefined ? undefined : byLine.get(ll);
  if (last && ls) {
    const before = ss && ls.complete && ls.end < ss.start;
    out += `: ${describeOp(last.op ?? last)} (line ${ll}) ${ls.complete ? `completed at ${at(ls.end)}` : 'never completed'}${before ? `, before it began at ${at(ss!.start)},` : ''} and leaves ${text(last.state, 40)}`;
    out += states.length ? `; in every state an order could reach before it returned (${states.slice(0, 4).join(', ')}${states.length > 4 ? ', …' : ''}) the model forbids its result, so no order of the operations fits.` : ', and no order of the operations fits.';
  } else {
    out += states.length ? `: in every state an order could reach before it returned (${states.slice(0, 4).join(', ')}${states.length > 4 ? ', …' : ''}) the model forbids its result.` : ': no order of the operations fits.';
  }
  return out;
}
