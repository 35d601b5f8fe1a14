import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { ClockSteppable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

export const DEFAULT_TIE_TICK_MS = 100;

/**
 * `clock-tie` {regions: [a, b, …], tickMs} makes the named regions' clocks advance in equal coarse steps (standing
 * still in between), so they read identical wall times and their writes just after each step carry exactly equal
 * timestamps: what a conflict tie-break must order the same way everywhere. `clear-clock-tie` {regions} makes
 * them smooth again (with no value: every region this fault stepped).
 */
export class ClockTieFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['clock-tie', 'clear-clock-tie']);
  private readonly stepped = new Set<string>();

  constructor(private readonly target: ClockSteppable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f !== 'clock-tie' && op.f !== 'clear-clock-tie') unknownF(op, this.fs);
    const v = op.value as { regions?: unknown; tickMs?: unknown } | null;
    const named = v?.regions;
    const valid = Array.isArray(named) && named.every((r) => this.regions.includes(r)) && new Set(named).size === named.length;
    if (op.f === 'clear-clock-tie') {
      if (named !== undefined && !valid) return didNotTakeEffect('clear-clock-tie: bad value', new Error(`value must be {regions: [...]} over [${this.regions.join(', ')}], got ${JSON.stringify(op.value)}`));
      const regions = (named as string[] | undefined) ?? [...this.stepped];
      return attempt(`smooth clocks on ${regions.join(', ') || 'no region'}`, async () => {
        await Promise.all(regions.map(async (r) => {
          await this.target.setClockTick(r, null);
          this.stepped.delete(r);
        }));
      });
    }
    const tick = v?.tickMs ?? DEFAULT_TIE_TICK_MS;
    if (!valid || (named as string[]).length < 2 || !Number.isSafeInteger(tick) || (tick as number) < 1) {
      return didNotTakeEffect('clock-tie: bad value', new Error(`value must be {regions: [two or more of ${this.regions.join(', ')}], tickMs?: positive integer}, got ${JSON.stringify(op.value)}`));
    }
    const regions = named as string[];
    return attempt(`clocks of ${regions.join(', ')} step together every ${tick} ms`, async () => {
      await Promise.all(regions.map(async (r) => {
        this.stepped.add(r);
        await this.target.setClockTick(r, tick as number);
      }));
    });
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.stepped].map((r) => this.target.setClockTick(r, null)));
    this.stepped.clear();
  }
}
