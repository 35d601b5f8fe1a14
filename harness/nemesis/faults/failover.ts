import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import { peerLink, type FaultNetwork, type HasFaultNetwork, type Target } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * A target with a single primary whose replicas can be promoted (primary/replica databases such as Redis).
 * `follow` points a node at a primary through the node's own peer link, so the fault network can cut it.
 */
export interface Replicated {
  /** The region whose node currently accepts writes. */
  primary(): string;
  /** Makes `region`'s node a primary (REPLICAOF NO ONE). */
  promote(region: string): Promise<void>;
  /** Makes `region`'s node replicate from `primary`'s, dialling it over link `peer:<region>-><primary>`. */
  follow(region: string, primary: string): Promise<void>;
  /** Waits until `region`'s node has a live replication link (false if `timeoutMs` passes first). */
  replicating(region: string, timeoutMs: number): Promise<boolean>;
}

export const isReplicated = (t: unknown): t is Replicated =>
  typeof (t as Replicated)?.promote === 'function' && typeof (t as Replicated)?.follow === 'function';

/** `failover` value: the replica to promote (`{to}` or the bare region); null: the region after the primary in region order. */
export type FailoverValue = { to?: string } | string | null;

function requested(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const to = (value as { to?: unknown }).to;
  if (typeof value === 'object' && (to === undefined || typeof to === 'string')) return to as string | undefined;
  throw new Error(`failover value must be null, a region, or {to: region}; got ${JSON.stringify(value)}`);
}

/**
 * `failover`: cut the current primary off from every other node (both directions of every peer link it has),
 * while its own clients still reach it, then promote a replica and repoint the remaining replicas at it. The old
 * primary keeps acknowledging writes nobody else will see.
 * `heal-failover`: make the old primary a replica of the new one, then heal the cuts; on resync it discards
 * what it alone acknowledged. Those writes are lost, which is what the checkers must find.
 *
 * The fault network offers only a global heal, so heal-failover also heals any other cut in force.
 */
export class FailoverFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['failover', 'heal-failover']);
  private inForce: { old: string; next: string } | undefined;

  constructor(
    private readonly target: Replicated,
    private readonly network: FaultNetwork,
    private readonly regions: readonly string[],
    /** How long heal-failover waits for the old primary's replication link before saying it is not up yet. */
    private readonly rejoinTimeoutMs = 10_000,
  ) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'failover') return this.failover(op.value);
    if (op.f === 'heal-failover') return this.heal();
    unknownF(op, this.fs);
  }

  private async failover(value: unknown): Promise<FaultOutcome> {
    if (this.inForce) {
      return didNotTakeEffect('failover refused', new Error(`a failover from ${this.inForce.old} to ${this.inForce.next} is in force; heal-failover first`));
    }
    let to: string | undefined;
    try {
      to = requested(value);
    } catch (e) {
      return didNotTakeEffect('failover refused', e);
    }
    const old = this.target.primary();
    const next = to ?? this.regions[(this.regions.indexOf(old) + 1) % this.regions.length];
    if (!this.regions.includes(next) || next === old) {
      return didNotTakeEffect('failover refused', new Error(`cannot promote "${next}": it must be one of [${this.regions.join(', ')}] other than the primary ${old}`));
    }
    const others = this.regions.filter((r) => r !== old);
    const links = others.flatMap((r) => [peerLink(r, old), peerLink(old, r)]);
    return attempt(`failover ${old} → ${next}`, async () => {
      await this.network.cut(links, 'clean');
      try {
        await this.target.promote(next);
      } catch (e) {
        // Nothing was promoted: restoring the links brings back the cluster as it was.
        await this.network.heal().catch(() => undefined);
        throw e;
      }
      // From here on there are two primaries; recording it now lets heal-failover repair even a half-done repointing
      // (a replica still following the old primary ends up chained behind it, which Redis supports).
      this.inForce = { old, next };
      for (const r of others) if (r !== next) await this.target.follow(r, next);
      return `cut ${old} off from [${others.join(', ')}], promoted ${next}${others.length > 1 ? `, repointed [${others.filter((r) => r !== next).join(', ')}]` : ''}`;
    });
  }

  private async heal(): Promise<FaultOutcome> {
    const f = this.inForce;
    // Healing the whole network here could end someone else's partition; with no failover there is nothing of ours to undo.
    if (!f) return didNotTakeEffect('heal-failover: nothing to heal', new Error('no failover is in force'));
    return attempt(`${f.old} rejoins as a replica of ${f.next}`, async () => {
      await this.target.follow(f.old, f.next);
      await this.network.heal();
      this.inForce = undefined;
      const up = await this.target.replicating(f.old, this.rejoinTimeoutMs);
      return up
        ? `${f.old} replicates from ${f.next} again (its own acknowledged writes since the failover are discarded)`
        : `${f.old} pointed at ${f.next}; its replication link was not up within ${this.rejoinTimeoutMs} ms`;
    });
  }

  async teardown(): Promise<void> {
    if (this.inForce) {
      const out = await this.heal();
      if (!out.tookEffect) throw new Error(`failover teardown: ${out.error}`);
    }
  }
}

/** For the nemesis package: the failover fault over a target that supports it, or why it cannot. */
export function failoverFault(target: Target, regions: readonly string[]): FailoverFault {
  if (!isReplicated(target)) throw new Error(`target "${target.name}" has no primary to fail over (it is not Replicated)`);
  const network = (target as Partial<HasFaultNetwork>).network;
  if (!network) throw new Error(`target "${target.name}" has no fault network to cut the primary off with`);
  if (regions.length < 2) throw new Error('failover needs at least 2 regions');
  return new FailoverFault(target, network, regions);
}
