import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { Killable, Pausable } from '../../core/target.ts';
import { attempt, didNotTakeEffect, regionOf, unknownF } from './outcome.ts';

interface Step {
  f: string;
  /** Past tense for the history, e.g. "killed". */
  done: string;
  run(region: string): Promise<void>;
}

/**
 * A fault that puts one region into a state and takes it out again: kill/restart, pause/resume. It remembers
 * which regions it left in the state, so teardown can bring every one of them back even after a failed run.
 */
export class RegionToggleFault implements Nemesis {
  readonly fs: ReadonlySet<string>;
  private readonly affected = new Set<string>();

  constructor(private readonly regions: readonly string[], private readonly on: Step, private readonly off: Step) {
    this.fs = new Set([on.f, off.f]);
  }

  async invoke(op: Op): Promise<FaultOutcome> {
    if (!this.fs.has(op.f)) unknownF(op, this.fs);
    let region: string;
    try {
      region = regionOf(op, this.regions);
    } catch (e) {
      return didNotTakeEffect(`${op.f}: bad value`, e);
    }
    const step = op.f === this.on.f ? this.on : this.off;
    return attempt(`${step.done} ${region}`, async () => {
      await step.run(region);
      if (step === this.on) this.affected.add(region);
      else this.affected.delete(region);
    });
  }

  async teardown(): Promise<void> {
    const errors: string[] = [];
    for (const r of [...this.affected]) {
      await this.off.run(r).then(() => this.affected.delete(r), (e: Error) => errors.push(`${r}: ${e.message}`));
    }
    if (errors.length) throw new Error(`could not ${this.off.f} regions left ${this.on.done}: ${errors.join('; ')}`);
  }
}

/** `kill` region: SIGKILL the region's processes; `restart` region: start them again and wait until ready. */
export const killFault = (target: Killable, regions: readonly string[]): Nemesis =>
  new RegionToggleFault(regions,
    { f: 'kill', done: 'killed', run: (r) => target.kill(r) },
    { f: 'restart', done: 'restarted', run: (r) => target.restart(r) });

/** `pause` region: SIGSTOP its processes (connections stay open, nothing answers); `resume` region: SIGCONT. */
export const pauseFault = (target: Pausable, regions: readonly string[]): Nemesis =>
  new RegionToggleFault(regions,
    { f: 'pause', done: 'paused', run: (r) => target.pause(r) },
    { f: 'resume', done: 'resumed', run: (r) => target.resume(r) });
