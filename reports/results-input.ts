/**
 * Results as the reports read them. `rift report` re-renders from a results.json on disk that anyone may have
 * edited or produced with another tool, so a checker entry that is not an object, or a verdict that is not one of
 * true/false/"unknown", becomes an explicit unknown saying what was wrong instead of a crash or a silent pass.
 */
import { mergeValidity, type CheckResult, type ContractLineResult, type ContractResult, type Results, type Validity } from '../harness/core/checker.ts';

const VALID = new Set<unknown>([true, false, 'unknown']);

function checker(name: string, raw: unknown): CheckResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { valid: 'unknown', reason: `results.json: checkers.${name} is not an object (got ${JSON.stringify(raw) ?? String(raw)})` };
  }
  const r = raw as CheckResult;
  if (VALID.has(r.valid)) return r;
  return { ...r, valid: 'unknown', reason: `results.json: checkers.${name}.valid must be true, false or "unknown" (got ${JSON.stringify(r.valid) ?? 'nothing'})${r.reason ? `; ${String(r.reason)}` : ''}` };
}

export function readResults(raw: unknown): Results {
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const c = o.checkers;
  const checkers: Record<string, CheckResult> = {};
  if (typeof c === 'object' && c !== null && !Array.isArray(c)) for (const [k, v] of Object.entries(c)) checkers[k] = checker(k, v);
  const top: Validity = VALID.has(o.valid) ? (o.valid as Validity) : 'unknown';
  const contract = readContract(o.contract, checkers);
  if (contract) {
    // The verdict is the contract's: measurements never lower it, and no promise's checker can be hidden by an edit.
    const measurements = Object.keys(checkers).filter((n) => !contract.lines.some((l) => l.checker === n));
    return { valid: mergeValidity([top, contract.valid, ...contract.lines.map((l) => l.kept)]), checkers, contract, measurements };
  }
  // Never show a better verdict than any part: a hand-edited or stale top-level `valid` cannot hide a failure.
  return { valid: mergeValidity([top, ...Object.values(checkers).map((r) => r.valid)]), checkers };
}

/** A contract's lines, each judged by its checker's verdict as recorded (an absent checker is unknown). */
function readContract(raw: unknown, checkers: Record<string, CheckResult>): ContractResult | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const c = raw as Record<string, unknown>;
  const lines: ContractLineResult[] = (Array.isArray(c.lines) ? c.lines : [])
    .filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null && typeof (l as Record<string, unknown>).checker === 'string')
    .map((l) => ({
      property: String(l.property ?? ''),
      checker: l.checker as string,
      scope: String(l.scope ?? ''),
      kept: checkers[l.checker as string]?.valid ?? 'unknown',
    }));
  const valid: Validity = lines.length ? mergeValidity(lines.map((l) => l.kept)) : 'unknown';
  return { target: String(c.target ?? ''), valid, lines, ...(typeof c.reason === 'string' ? { reason: c.reason } : {}) };
}
