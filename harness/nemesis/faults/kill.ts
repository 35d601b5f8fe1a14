import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { Killable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, regionOf, unknownF } from './outcome.ts';

/** `kill` region: SIGKILL the region's processes; `restart` region: start them again and wait until ready. */
export class KillFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['kill', 'restart']);
  private readonly dead = new Set<string>();

  constructor(private readonly target: Killable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (!this.fs.has(op.f)) unknownF(op, this.fs);
    let region: string;
    try {
      region = regionOf(op, this.regions);
    } catch (e) {
      return didNotTakeEffect(`${op.f}: bad value`, e);
    }
    if (op.f === 'kill') {
      return attempt(`killed ${region}`, async () => {
        await this.target.kill(region);
        this.dead.add(region);
      });
    }
    return attempt(`restarted ${region}`, async () => {
      await this.target.restart(region);
      this.dead.delete(region);
    });
  }

  async teardown(): Promise<void> {
    const errors: string[] = [];
    for (const r of [...this.dead]) {
      await this.target.restart(r).then(() => this.dead.delete(r), (e: Error) => errors.push(`${r}: ${e.message}`));
    }
    if (errors.length) throw new Error(`could not restart killed regions: ${errors.join('; ')}`);
  }
}
