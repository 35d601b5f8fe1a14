/**
 * results.json (HISTORY.md "Results"): pretty, with a stable key order so two runs' results diff cleanly —
 * `valid` and `reason` first, then the other keys sorted. Values JSON cannot hold are written as strings
 * ("Infinity", "12345678901234567890n") rather than silently turned into null; anything else that cannot be
 * written (functions, cycles) is an error naming where it is.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { Results } from '../harness/core/checker.ts';

export class ResultsFormatError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'ResultsFormatError';
  }
}

const FIRST = ['valid', 'reason'];

function order(keys: string[]): string[] {
  const first = FIRST.filter((k) => keys.includes(k));
  return [...first, ...keys.filter((k) => !FIRST.includes(k)).sort()];
}

/** A plain JSON-safe copy with ordered keys. */
export function normalise(value: unknown, path = 'results', seen = new Set<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'undefined') return null;
  if (typeof value !== 'object') throw new ResultsFormatError(path, `a ${typeof value} cannot be written as JSON`);
  if (seen.has(value)) throw new ResultsFormatError(path, 'refers back to itself (a cycle) and cannot be written as JSON');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((x, i) => normalise(x, `${path}[${i}]`, seen));
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return normalise(toJSON.call(value), path, seen);
    if (value instanceof Map) return normalise(Object.fromEntries(value), path, seen);
    if (value instanceof Set) return normalise([...value], path, seen);
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // Object keys that JSON would drop (undefined values) are dropped here too: absence is what they mean.
    for (const k of order(Object.keys(o))) if (o[k] !== undefined) out[k] = normalise(o[k], `${path}.${k}`, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

export function resultsJson(results: Results): string {
  const checkers = Object.fromEntries(Object.keys(results.checkers ?? {}).sort().map((k) => [k, results.checkers[k]]));
  const contract = results.contract ? { contract: results.contract, measurements: results.measurements ?? [] } : {};
  return JSON.stringify(normalise({ valid: results.valid, ...contract, checkers, input: results.input, figures: results.figures }), null, 2) + '\n';
}

/**
 * Writes next to the target and renames, so a reader never sees half a file. Synchronously: the caller has nothing
 * else to do meanwhile, and each asynchronous step (open, write, close, rename) is a round trip through libuv's
 * thread pool, which on a loaded machine waits for a core each time.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function writeResultsJson(path: string, results: Results): Promise<void> {
  await writeAtomically(path, resultsJson(results));
}
