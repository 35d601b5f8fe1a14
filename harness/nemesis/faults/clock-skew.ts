import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { ClockSkewable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * `clock-skew` {offsets: {region: ms}} shifts the named regions' clocks through the layer's admin hook;
 * `clear-clock-skew` {regions} sets them back to 0 (with no value: every region this fault skewed).
 * An op takes effect only if every region it names took it.
 */
export class ClockSkewFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['clock-skew', 'clear-clock-skew']);
  private readonly skewed = new Set<string>();

  constructor(private readonly target: ClockSkewable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'clear-clock-skew') {
      const named = (op.value as { regions?: unknown } | null)?.regions;
      if (named !== undefined && (!Array.isArray(named) || named.some((r) => !this.regions.includes(r)))) {
        return didNotTakeEffect('clear-clock-skew: bad value', new Error(`value must be {regions: [...]} over [${this.regions.join(', ')}], got ${JSON.stringify(op.value)}`));
      }
      const regions = (named as string[] | undefined) ?? [...this.skewed];
      return attempt(`cleared clock skew on ${regions.join(', ') || 'no region'}`, async () => {
        await Promise.all(regions.map(async (r) => {
          await this.target.setClockOffset(r, 0);
          this.skewed.delete(r);
        }));
      });
    }
    if (op.f !== 'clock-skew') unknownF(op, this.fs);
    const offsets = (op.value as { offsets?: unknown } | null)?.offsets;
    const entries = typeof offsets === 'object' && offsets !== null ? Object.entries(offsets) : [];
    const bad = entries.length === 0
      || entries.some(([r, ms]) => !this.regions.includes(r) || typeof ms !== 'number' || !Number.isFinite(ms));
    if (bad) {
      return didNotTakeEffect('clock-skew: bad value', new Error(
        `value must be {offsets: {region: ms}} over [${this.regions.join(', ')}], got ${JSON.stringify(op.value)}`,
      ));
    }
    const text = entries.map(([r, ms]) => `${r} ${(ms as number) >= 0 ? '+' : ''}${ms} ms`).join(', ');
    return attempt(`clock skew ${text}`, async () => {
      await Promise.all(entries.map(async ([r, ms]) => {
        this.skewed.add(r);
        await this.target.setClockOffset(r, ms as number);
      }));
    });
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.skewed].map((r) => this.target.setClockOffset(r, 0)));
    this.skewed.clear();
  }
}
