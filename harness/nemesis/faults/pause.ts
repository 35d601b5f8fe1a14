import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { Pausable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, regionOf, unknownF } from './outcome.ts';

/** `pause` region: SIGSTOP its processes (connections stay open, nothing answers); `resume` region: SIGCONT. */
export class PauseFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['pause', 'resume']);
  private readonly paused = new Set<string>();

  constructor(private readonly target: Pausable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (!this.fs.has(op.f)) unknownF(op, this.fs);
    let region: string;
    try {
      region = regionOf(op, this.regions);
    } catch (e) {
      return didNotTakeEffect(`${op.f}: bad value`, e);
    }
    if (op.f === 'pause') {
      return attempt(`paused ${region}`, async () => {
        await this.target.pause(region);
        this.paused.add(region);
      });
    }
    return attempt(`resumed ${region}`, async () => {
      await this.target.resume(region);
      this.paused.delete(region);
    });
  }

  async teardown(): Promise<void> {
    for (const r of [...this.paused]) {
      await this.target.resume(r);
      this.paused.delete(r);
    }
  }
}
