import type { FaultOutcome } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';

/** Shared by every fault: outcomes, and checking an op's value before anything is touched. */

export const tookEffect = (value: unknown): FaultOutcome => ({ value, tookEffect: true });

export const didNotTakeEffect = (value: unknown, error: unknown): FaultOutcome => ({
  value,
  tookEffect: false,
  error: error instanceof Error ? error.message : String(error),
});

/** Runs `apply`; a thrown error becomes an outcome that does not count as coverage. */
export async function attempt(describe: string, apply: () => Promise<unknown>): Promise<FaultOutcome> {
  try {
    const v = await apply();
    return tookEffect(v === undefined ? describe : v);
  } catch (e) {
    return didNotTakeEffect(`${describe}: failed`, e);
  }
}

export function regionOf(op: Op, regions: readonly string[]): string {
  if (typeof op.value !== 'string' || !regions.includes(op.value)) {
    throw new Error(`nemesis ${op.f}: value must be one of the regions [${regions.join(', ')}], got ${JSON.stringify(op.value)}`);
  }
  return op.value;
}

export function unknownF(op: Op, fs: ReadonlySet<string>): never {
  throw new Error(`nemesis: this fault handles ${[...fs].join(', ')}, not "${op.f}"`);
}
