import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * The layer's failpoints (layer/README.md, "Failpoints"): named steps in its consensus and replication paths. The
 * harness keeps its own copy of the names, as it does of every other part of the layer's HTTP contract.
 */
export const PAXOS_FAILPOINTS = [
  'paxos-accept-sent', 'paxos-before-promise', 'paxos-before-accept', 'paxos-acceptor-reply', 'paxos-proposer-reply',
] as const;
export const REPLICATION_FAILPOINTS = [
  'replicate-before-apply', 'replicate-before-write', 'replicate-receiver-reply', 'replicate-before-checkpoint',
] as const;
export const FAILPOINT_NAMES: readonly string[] = [...PAXOS_FAILPOINTS, ...REPLICATION_FAILPOINTS];
/** The layer's paths and their points: each path is a surface of its own, so a run arms each about as often. */
export const FAILPOINT_PATHS: readonly (readonly string[])[] = [PAXOS_FAILPOINTS, REPLICATION_FAILPOINTS];
export const FAILPOINT_ACTIONS = ['crash', 'pause', 'drop'] as const;

/** `failpoint` value: arm `name` on `region` to crash, pause for `ms`, or drop, for the next `times` hits. */
export interface FailpointValue {
  region: string;
  name: string;
  action: (typeof FAILPOINT_ACTIONS)[number];
  ms?: number;
  k?: number;
  times: number;
}

/** A target whose nodes have failpoints, armed through their admin API. */
export interface FailpointArmable {
  armFailpoint(region: string, spec: Omit<FailpointValue, 'region'>): Promise<void>;
  /**
   * Disarms every failpoint of `region` and reports how often they fired. A node that crashed at one is restarted
   * (the target notices the exit); a region that is down for another reason has none armed any more.
   */
  clearFailpoints(region: string): Promise<{ fired: Record<string, number>; restarted: boolean }>;
}

export const isFailpointArmable = (t: unknown): t is FailpointArmable =>
  typeof (t as FailpointArmable)?.armFailpoint === 'function' && typeof (t as FailpointArmable)?.clearFailpoints === 'function';

function parseValue(v: unknown, regions: readonly string[]): FailpointValue {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (typeof o.region !== 'string' || !regions.includes(o.region)) throw new Error(`failpoint: value.region must be one of [${regions.join(', ')}], got ${JSON.stringify(o.region)}`);
  if (typeof o.name !== 'string' || !FAILPOINT_NAMES.includes(o.name)) throw new Error(`failpoint: value.name must be one of ${FAILPOINT_NAMES.join(', ')}, got ${JSON.stringify(o.name)}`);
  if (!(FAILPOINT_ACTIONS as readonly unknown[]).includes(o.action)) throw new Error(`failpoint: value.action must be one of ${FAILPOINT_ACTIONS.join(', ')}, got ${JSON.stringify(o.action)}`);
  if (!Number.isSafeInteger(o.times) || (o.times as number) < 1) throw new Error(`failpoint: value.times must be a positive integer, got ${JSON.stringify(o.times)}`);
  return o as unknown as FailpointValue;
}

/**
 * `failpoint` {region, name, action, ms?, k?, times}: arms one failpoint on one region's node.
 * `clear-failpoint` {region}: disarms it, restarting the node if it crashed there; the outcome's value says how
 * often each point fired, so the history shows whether an armed point was ever reached.
 */
export class FailpointFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['failpoint', 'clear-failpoint']);
  private readonly armed = new Set<string>();

  constructor(private readonly target: FailpointArmable, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'clear-failpoint') {
      const region = (op.value as { region?: unknown } | null)?.region;
      if (typeof region !== 'string' || !this.regions.includes(region)) {
        return didNotTakeEffect('clear-failpoint: bad value', new Error(`value must be {region} over [${this.regions.join(', ')}], got ${JSON.stringify(op.value)}`));
      }
      return attempt(`cleared failpoints on ${region}`, async () => {
        const out = await this.target.clearFailpoints(region);
        this.armed.delete(region);
        return { region, ...out };
      });
    }
    if (op.f !== 'failpoint') unknownF(op, this.fs);
    let v: FailpointValue;
    try {
      v = parseValue(op.value, this.regions);
    } catch (e) {
      return didNotTakeEffect('failpoint: bad value', e);
    }
    const { region, ...spec } = v;
    const what = `${spec.action}${spec.action === 'pause' ? ` ${spec.ms} ms` : ''} at ${spec.name}${spec.k !== undefined ? ` (k=${spec.k})` : ''}`;
    return attempt(`armed ${what} on ${region}`, async () => {
      this.armed.add(region);
      await this.target.armFailpoint(region, spec);
    });
  }

  async teardown(): Promise<void> {
    const errors: string[] = [];
    for (const r of [...this.armed]) await this.target.clearFailpoints(r).then(() => this.armed.delete(r), (e: Error) => errors.push(`${r}: ${e.message}`));
    if (errors.length) throw new Error(`could not clear failpoints: ${errors.join('; ')}`);
  }
}
