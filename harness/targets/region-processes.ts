import type { ProcessGroup } from '../process/spawn.ts';

/**
 * The process groups of a target whose every region is one process (an etcd member, a Redis node): kill,
 * pause, resume and stop-all. Killing a region that is down does nothing; pausing one that is down is an error,
 * so the nemesis records that the fault did not take effect.
 */
export class RegionProcesses {
  private readonly groups = new Map<string, ProcessGroup>();
  private readonly paused = new Set<string>();

  /** `what` names the kind of process in messages, e.g. "etcd member". */
  constructor(private readonly what: string) {}

  set(region: string, group: ProcessGroup): void {
    this.groups.set(region, group);
  }

  get(region: string): ProcessGroup | undefined {
    return this.groups.get(region);
  }

  running(region: string): boolean {
    return this.groups.get(region)?.running ?? false;
  }

  async kill(region: string): Promise<void> {
    const g = this.groups.get(region);
    if (!g?.running) return;
    g.kill('SIGKILL');
    await g.exited;
    this.paused.delete(region);
  }

  pause(region: string): void {
    const g = this.groups.get(region);
    if (!g?.running) throw new Error(`cannot pause ${region}: its ${this.what} is not running`);
    g.kill('SIGSTOP');
    this.paused.add(region);
  }

  resume(region: string): void {
    this.groups.get(region)?.kill('SIGCONT');
    this.paused.delete(region);
  }

  /** Stops every process; paused ones are resumed first, or each would sit out the whole SIGTERM grace period. */
  async stopAll(graceMs = 2000): Promise<void> {
    for (const r of this.paused) this.groups.get(r)?.kill('SIGCONT');
    this.paused.clear();
    await Promise.all([...this.groups.values()].map((g) => g.stop(graceMs)));
  }
}
