import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { pairOps } from '../harness/history/pairs.ts';
import { checkMvRegister, type MvRegisterOptions } from './mv-register.ts';
import { versionOf } from './versions.ts';
import { valueKey } from './value-key.ts';


/**
 * Riak-style siblings (the layer's `siblings/` strategy, layer/API.md): a read answers one value and, when concurrent
 * writes survive, all of them as `siblings`. The surviving writes follow multi-value register semantics, so reads are
 * projected onto that checker's input (the sibling list, or the one value) and judged by it; on top, the value a read
 * presents must be the sibling of the highest version (`presented`), since clients use it directly. Sibling values
 * written by operations that reported no version are not compared.
 */
export function checkSiblings(history: readonly IndexedOp[], opts: MvRegisterOptions = {}): CheckResult {
  const versionOfValue = new Map<string, string>();
  for (const p of pairOps(history)) {
    const v = p.invoke.f === 'write' && p.type === 'ok' ? versionOf(p) : undefined;
    if (v !== undefined) versionOfValue.set(valueKey(p.invoke.value), v);
  }
  const presented: { key: string | undefined; line: number; value: unknown; expected: unknown }[] = [];
  const projected = history.map((op) => {
    if (op.f !== 'read' || op.type !== 'ok') return op;
    const siblings = op.meta?.siblings;
    if (!Array.isArray(siblings)) return { ...op, value: op.value === null || op.value === undefined ? null : [op.value] };
    const versions = siblings.map((s) => versionOfValue.get(valueKey(s)));
    if (versions.every((v) => v !== undefined)) {
      const latest = siblings[versions.indexOf([...(versions as string[])].sort().at(-1)!)];
      if (valueKey(latest) !== valueKey(op.value)) presented.push({ key: op.key, line: op.line, value: op.value, expected: latest });
    }
    return { ...op, value: siblings };
  });
  const result = checkMvRegister(projected, opts);
  if (presented.length === 0) return result;
  const valid: Validity = false;
  return { ...result, valid, reason: `${presented.length} presented (a value other than the latest sibling)${result.valid === false ? `, ${result.reason}` : ''}`, presented: presented.slice(0, opts.maxReported ?? 50), counts: { ...(result.counts as object), presented: presented.length } };
}

export function siblingsChecker(opts: MvRegisterOptions = {}): Checker {
  return { name: 'siblings', check: async (history: readonly IndexedOp[], _opts: CheckOptions) => checkSiblings(history, opts) };
}
