import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { ClockSkewable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * `clock-skew` {offsets: {region: ms}} shifts the named regions' clocks through the layer's admin hook;
 * `clear-clock-skew` sets every skewed region back to 0. A skew takes effect only if every region took it.
 */
export class ClockSkewFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['clock-skew', 'clear-clock-skew']);
  private readonly skewed = new Set<string>();

  constructor(private readonly target: ClockSkewable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'clear-clock-skew') {
      return attempt('cleared clock skew', async () => {
        await Promise.all(this.regions.map((r) => this.target.setClockOffset(r, 0)));
        this.skewed.clear();
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
