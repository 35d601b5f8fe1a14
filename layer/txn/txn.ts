import { applyLocal, read, type Stored } from '../resolver/index.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { badRequest, HttpError, wrongType } from '../http/errors.ts';
import { checkKey, checkValue } from '../http/limits.ts';
import { tierOf } from '../router/key-class.ts';
import { versionToken } from '../clock/version.ts';

export type MicroOp = ['append', string, unknown] | ['r', string, unknown] | ['w', string, unknown];

const MAX_MICRO_OPS = 64;

/** Validates `{ops: [...]}`; errors name the micro-op by index. */
export function parseTxn(body: Record<string, unknown>): MicroOp[] {
  const ops = body.ops;
  if (!Array.isArray(ops) || ops.length === 0) throw badRequest('field "ops" must be a non-empty array of micro-operations');
  if (ops.length > MAX_MICRO_OPS) throw new HttpError(413, 'too-large', `a transaction may hold at most ${MAX_MICRO_OPS} micro-operations, got ${ops.length}`);
  return ops.map((m: unknown, i: number): MicroOp => {
    if (!Array.isArray(m) || m.length !== 3) throw badRequest(`ops[${i}] must be [f, key, value]`);
    const [f, key, value] = m as [unknown, unknown, unknown];
    if (f !== 'append' && f !== 'r' && f !== 'w') throw badRequest(`ops[${i}][0] must be "append", "r" or "w", got ${JSON.stringify(f)}`);
    if (typeof key !== 'string') throw badRequest(`ops[${i}][1] (key) must be a string`);
    checkKey(key);
    if (tierOf(key) === 'critical') throw wrongType(`ops[${i}]: critical keys are not available in transactions (${JSON.stringify(key)})`);
    if (f !== 'r') checkValue(value, `ops[${i}][2]`);
    return [f, key, value] as MicroOp;
  });
}

/**
 * Runs the micro-ops against one snapshot and commits every changed key in one log entry, so the transaction is
 * atomic here and replicated as a unit. Keys are LWW registers; `append` treats the value as a list.
 */
export async function runTxn(
  coordinator: Coordinator,
  ops: MicroOp[],
  strategyOf: (key: string) => string,
): Promise<{ ops: MicroOp[]; version: string; seq: number | null }> {
  const keys = [...new Set(ops.map((o) => o[1]))];
  for (const k of keys) {
    const s = strategyOf(k);
    if (s !== 'lww' && s !== 'lww-register') throw wrongType(`transactions work on register keys; ${JSON.stringify(k)} is a ${s} key`);
  }
  const c = await coordinator.transact(keys, (snaps, version) => {
    // Micro-ops see the transaction's own earlier writes through `values`; each written key then gets ONE new
    // state. Applying every micro-op as its own write would give them all the transaction's single version, and
    // a version tie keeps just one of them (an append after an append to the same key would vanish).
    const values = new Map<string, unknown>(snaps.map((s) => [s.key, read(s.stored).value]));
    const written = new Set<string>();
    const done: MicroOp[] = [];
    for (const [f, key, value] of ops) {
      const curValue = values.get(key) ?? null;
      if (f === 'r') {
        done.push(['r', key, curValue]);
        continue;
      }
      let next: unknown = value;
      if (f === 'append') {
        if (curValue !== null && !Array.isArray(curValue)) throw wrongType(`append to ${JSON.stringify(key)}, which holds a non-list value`);
        next = [...((curValue as unknown[] | null) ?? []), value];
      }
      values.set(key, next);
      written.add(key);
      done.push([f, key, value]);
    }
    const writes = new Map<string, Stored>();
    for (const key of written) {
      const original = snaps.find((s) => s.key === key)?.stored;
      const r = applyLocal(strategyOf(key) as 'lww', original, { op: 'put', value: values.get(key) }, { ...coordinator.ctx(version, original) });
      if (!r.ok) throw new HttpError(422, r.error, r.message);
      writes.set(key, r.stored);
    }
    return { writes, result: done };
  });
  return { ops: c.result, version: versionToken(c.version), seq: c.seq };
}
