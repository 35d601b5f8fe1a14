import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { CutMode, FaultNetwork } from '../../core/target.ts';
import { cutLinks, partitionFromGroups, type PartitionShape } from '../../net/grudge.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * `partition` {shape, groups, mode} cuts the links the shape implies (net/grudge.ts) on the fault network,
 * `heal` restores every link. A new partition first heals the previous one, so what is in force is exactly
 * what the latest op says.
 */
export interface PartitionValue {
  shape: PartitionShape;
  groups: string[][];
  mode: CutMode;
}

export class PartitionFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['partition', 'heal']);

  constructor(private readonly network: FaultNetwork, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'heal') return attempt('healed the network', () => this.network.heal());
    if (op.f !== 'partition') unknownF(op, this.fs);
    const v = op.value as PartitionValue;
    let links: string[];
    let description: string;
    try {
      if (v?.mode !== 'clean' && v?.mode !== 'black-hole') throw new Error(`mode must be "clean" or "black-hole", got ${JSON.stringify(v?.mode)}`);
      const p = partitionFromGroups(v.shape, v.groups, this.regions);
      links = cutLinks(p);
      description = `${p.description} (${v.mode})`;
    } catch (e) {
      return didNotTakeEffect('invalid partition', e);
    }
    return attempt(description, async () => {
      await this.network.heal();
      await this.network.cut(links, v.mode);
      return description;
    });
  }

  async teardown(): Promise<void> {
    await this.network.heal();
  }
}
