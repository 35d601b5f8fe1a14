/** A short text for an operation as checkers embed it: an op object, an op pair, or a pre-rendered string. */
import { brief, text } from './format.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export function describeOp(op: unknown): string {
  if (typeof op === 'string') return op;
  const o = rec(op);
  if (!o) return brief(op, 120);
  const inner = rec(o.invoke) ?? o;
  const done = rec(o.complete) ?? (o.type !== 'invoke' ? o : undefined);
  if (typeof inner.f !== 'string') return brief(op, 120);
  const key = inner.key !== undefined ? ` ${text(inner.key, 40)}` : '';
  const arg = inner.value !== undefined && inner.value !== null ? ` ${brief(inner.value, 60)}` : '';
  const proc = inner.process !== undefined ? `p${brief(inner.process, 12)} ` : '';
  const out = done && done !== inner ? ` → ${brief(done.type, 8)} ${brief(done.value, 60)}` : done?.type && done.type !== 'invoke' ? ` → ${brief(done.type, 8)}` : '';
  return `${proc}${inner.f}${key}${arg}${out}`;
}

export function lineOf(v: unknown): number | undefined {
  const o = rec(v);
  if (!o) return undefined;
  for (const k of ['line', 'invokeLine', 'completeLine']) if (typeof o[k] === 'number') return o[k] as number;
  for (const k of ['op', 'txn', 'invoke', 'complete']) {
    const l = lineOf(o[k]);
    if (l !== undefined) return l;
  }
  return undefined;
}
