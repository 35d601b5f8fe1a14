import type { CheckOptions, CheckResult, Checker, Validity } from '../harness/core/checker.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { counterChecker } from './counter.ts';
import { setChecker } from './set.ts';

/** A map-update's value (layer/API.md): the field, its type, and the operation the field's type takes. */
export interface MapUpdate {
  field: string;
  type: string;
  op: { op: string; delta?: number; element?: unknown };
}

/** Field types this checker judges, and the checker of the field's own type. */
const FIELD_CHECKERS: Readonly<Record<string, { checker: () => Checker; empty: unknown; f: Readonly<Record<string, string>> }>> = {
  'pn-counter': { checker: () => counterChecker(), empty: 0, f: { incr: 'incr' } },
  'or-set': { checker: () => setChecker(), empty: [], f: { add: 'add' } },
};

const isUpdate = (v: unknown): v is MapUpdate =>
  typeof v === 'object' && v !== null && typeof (v as MapUpdate).field === 'string' && typeof (v as MapUpdate).type === 'string'
  && typeof (v as MapUpdate).op === 'object' && (v as MapUpdate).op !== null;

/**
 * A map of CRDTs keeps each field's promise as that field's own type would: the history is projected onto one
 * history per (map key, field), as if the field were a key of its own (`key.field`), and each is judged by its type's
 * checker: the counter checker for pn-counter fields (increments and decrements), the set checker for or-set fields
 * written by adds. A read of the map is a read of every field, absent fields reading as their type's empty value.
 * Updates of other types, or with operations those checkers do not judge, are refused as input the checker cannot
 * judge rather than skipped.
 */
export function mapChecker(): Checker {
  return { name: 'map', check: (history, opts) => checkMap(history, opts) };
}

async function checkMap(history: readonly IndexedOp[], opts: CheckOptions): Promise<CheckResult> {
  const fields = new Map<string, string>();
  for (const op of history) {
    if (op.f !== 'map-update' || op.type !== 'invoke') continue;
    if (!isUpdate(op.value)) return { valid: 'unknown', reason: `line ${op.line}: a map-update's value must be {field, type, op}` };
    const judged = FIELD_CHECKERS[op.value.type];
    if (!judged || !(op.value.op.op in judged.f)) {
      return { valid: 'unknown', reason: `line ${op.line}: field ${JSON.stringify(op.value.field)}: ${op.value.type} ${op.value.op.op} is not judged (the map checker judges pn-counter incr and or-set add)` };
    }
    const seen = fields.get(op.value.field);
    if (seen !== undefined && seen !== op.value.type) return { valid: 'unknown', reason: `line ${op.line}: field ${JSON.stringify(op.value.field)} is written as ${seen} and as ${op.value.type}` };
    fields.set(op.value.field, op.value.type);
  }
  if (fields.size === 0) return { valid: 'unknown', reason: 'no map updates: nothing to judge' };
  const results: Record<string, CheckResult> = {};
  for (const [field, type] of [...fields].sort(([a], [b]) => (a < b ? -1 : 1))) {
    results[`${field} (${type})`] = await FIELD_CHECKERS[type].checker().check(project(history, field, type), opts);
  }
  const verdicts = Object.values(results).map((r) => r.valid);
  const valid: Validity = verdicts.includes(false) ? false : verdicts.includes('unknown') ? 'unknown' : true;
  const reason = Object.entries(results).map(([f, r]) => `${f}: ${r.valid === true ? 'valid' : r.valid === false ? 'INVALID' : 'unknown'}${r.reason ? ` (${r.reason})` : ''}`).join('; ');
  return { valid, reason, fields: results };
}

/** One field's history: its updates as operations of the field's type, and every map read as a read of the field. */
function project(history: readonly IndexedOp[], field: string, type: string): IndexedOp[] {
  const { empty, f } = FIELD_CHECKERS[type];
  const out: IndexedOp[] = [];
  const updateOf = new Map<unknown, MapUpdate>();
  for (const op of history) {
    if (op.key === undefined) continue;
    const key = `${op.key}.${field}`;
    if (op.f === 'read') {
      const v = op.type === 'ok' ? fieldOf(op.value, field, empty) : op.value;
      out.push({ ...op, key, value: v });
      continue;
    }
    if (op.f !== 'map-update') continue;
    // A completion may carry no value; it is the invocation's operation.
    const u = isUpdate(op.value) ? op.value : updateOf.get(op.process);
    if (op.type === 'invoke' && u) updateOf.set(op.process, u);
    if (!u || u.field !== field) continue;
    const value = u.op.op === 'incr' ? u.op.delta : u.op.element;
    out.push({ ...op, f: f[u.op.op], key, value });
  }
  return out;
}

function fieldOf(map: unknown, field: string, empty: unknown): unknown {
  if (map === null || map === undefined) return empty;
  if (typeof map !== 'object' || Array.isArray(map)) return map;
  return Object.hasOwn(map, field) ? (map as Record<string, unknown>)[field] : empty;
}
