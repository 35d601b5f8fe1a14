import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { ClockFreezable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * `clock-tie` {regions: [a, b, …]} freezes the named regions' physical clocks at one and the same instant (now), so
 * their writes carry equal wall times and, as their logical counters advance alike, exactly equal timestamps: what
 * a conflict tie-break must order the same way everywhere. `clear-clock-tie` {regions} lets them run again (with
 * no value: every region this fault froze).
 */
export class ClockTieFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['clock-tie', 'clear-clock-tie']);
  private readonly frozen = new Set<string>();

  constructor(private readonly target: ClockFreezable, private readonly regions: readonly string[], private readonly now: () => number = Date.now) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f !== 'clock-tie' && op.f !== 'clear-clock-tie') unknownF(op, this.fs);
    const named = (op.value as { regions?: unknown } | null)?.regions;
    const valid = Array.isArray(named) && named.every((r) => this.regions.includes(r)) && new Set(named).size === named.length;
    if (op.f === 'clear-clock-tie') {
      if (named !== undefined && !valid) return didNotTakeEffect('clear-clock-tie: bad value', new Error(`value must be {regions: [...]} over [${this.regions.join(', ')}], got ${JSON.stringify(op.value)}`));
      const regions = (named as string[] | undefined) ?? [...this.frozen];
      return attempt(`clocks run again on ${regions.join(', ') || 'no region'}`, async () => {
        await Promise.all(regions.map(async (r) => {
          await this.target.freezeClock(r, null);
          this.frozen.delete(r);
        }));
      });
    }
    if (!valid || (named as string[]).length < 2) {
      return didNotTakeEffect('clock-tie: bad value', new Error(`value must be {regions: [two or more of ${this.regions.join(', ')}]}, got ${JSON.stringify(op.value)}`));
    }
    const regions = named as string[];
    const at = Math.floor(this.now());
    return attempt(`clocks of ${regions.join(', ')} frozen at ${at}`, async () => {
      await Promise.all(regions.map(async (r) => {
        this.frozen.add(r);
        await this.target.freezeClock(r, at);
      }));
    });
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.frozen].map((r) => this.target.freezeClock(r, null)));
    this.frozen.clear();
  }
}
