/**
 * A nemesis package: the faults a run asked for, composed into one Nemesis, plus the generators that
 * drive them.
 *
 *   const pkg = nemesisPackage({ faults: ['partition', 'kill'], intervalMs: 10_000, seed, target });
 *   pkg.nemesis          Nemesis handling every op the faults define (partition/heal, kill/restart, …)
 *   pkg.generator        endless nemesis ops on the seeded, state-aware schedule (bound it with timeLimit)
 *   pkg.finalGenerator   the recovery ops for whatever the main generator left in force, then done
 *   pkg.schedule         the Schedule itself (`take(n)` lists it; same seed, same list)
 *   pkg.finalHeal()      those recovery ops as data
 *
 * Fault names: partition (every shape), partition-isolate|halves|bridge|ring|asymmetric|client (one shape
 * each; they combine), kill, pause, latency, bandwidth, clock-skew, clock-tie, failover (targets with a primary),
 * failpoint (targets with failpoints: every point), failpoint-paxos|replication (the points of one path).
 * Presets stand for several names: `critical` (see NEMESIS_PRESETS).
 *
 * The network comes from the target (`HasFaultNetwork`) unless given; a fault the target cannot support
 * (kill on a target that is not Killable, …) is an error here, before the run starts, rather than a
 * run full of faults that never took effect.
 */
import type { Generator, GenResult, OpTemplate } from '../core/generator.ts';
import type { FaultOutcome, Nemesis } from '../core/nemesis.ts';
import type { Op } from '../core/op.ts';
import { PARTITION_ALIASES } from '../core/faults.ts';
import {
  hasFaultNetwork, isClockSteppable, isClockSkewable, isKillable, isPausable, type FaultNetwork, type Target,
} from '../core/target.ts';
import { BandwidthFault } from './faults/bandwidth.ts';
import { ClockSkewFault } from './faults/clock-skew.ts';
import { ClockTieFault } from './faults/clock-tie.ts';
import { LatencyFault } from './faults/latency.ts';
import { PartitionFault } from './faults/partition.ts';
import { killFault, pauseFault } from './faults/region-toggle.ts';
import { failoverFault } from './faults/failover.ts';
import { FailpointFault, isFailpointArmable, PAXOS_FAILPOINTS, REPLICATION_FAILPOINTS } from './faults/failpoint.ts';
import type { PartitionShape } from '../net/grudge.ts';
import { isFaultKind, recoveryOps, Schedule, FAULT_KINDS, type FaultKind, type NemesisStep, type ScheduleOptions } from './schedule.ts';
import { WAN_PRESETS } from './wan-presets.ts';

/** One Nemesis over several: ops go to the fault that handles their `f`; teardown undoes all of them. */
export function composeNemeses(parts: readonly Nemesis[]): Nemesis {
  const byF = new Map<string, Nemesis>();
  for (const n of parts)
    for (const f of n.fs) {
      if (byF.has(f)) throw new Error(`nemesis: two faults handle "${f}"`);
      byF.set(f, n);
    }
  return {
    fs: new Set(byF.keys()),
    async setup() {
      for (const n of parts) await n.setup?.();
    },
    async invoke(op: Op): Promise<FaultOutcome> {
      const n = byF.get(op.f);
      if (!n) return { value: `no fault handles "${op.f}"`, tookEffect: false, error: `nemesis handles ${[...byF.keys()].join(', ')}` };
      return n.invoke(op);
    },
    async teardown() {
      // Every part gets its chance even if an earlier one fails; the errors are reported together.
      const errors: string[] = [];
      for (const n of parts) await n.teardown().catch((e: Error) => errors.push(e.message));
      if (errors.length) throw new Error(`nemesis teardown: ${errors.join('; ')}`);
    },
  };
}

export interface NemesisPackageOptions extends Omit<ScheduleOptions, 'faults' | 'regions'> {
  faults: readonly string[];
  target: Target;
  /** Defaults to the target's regions. */
  regions?: readonly string[];
  /** Defaults to the target's network. */
  network?: FaultNetwork;
}

export interface NemesisPackage {
  nemesis: Nemesis;
  generator: Generator;
  finalGenerator: Generator;
  schedule: Schedule;
  finalHeal(): NemesisStep[];
}

function faultFor(kind: FaultKind, target: Target, regions: readonly string[], network: FaultNetwork | undefined): Nemesis {
  const cannot = (what: string): never => {
    throw new Error(`fault "${kind}" needs a target that can ${what}; target "${target.name}" cannot`);
  };
  switch (kind) {
    case 'partition': return new PartitionFault(network ?? cannot('fault its network links'), regions);
    case 'latency': return new LatencyFault(network ?? cannot('fault its network links'), regions);
    case 'bandwidth': return new BandwidthFault(network ?? cannot('fault its network links'));
    case 'kill': return killFault(isKillable(target) ? target : cannot('kill and restart regions'), regions);
    case 'pause': return pauseFault(isPausable(target) ? target : cannot('pause and resume regions'), regions);
    case 'clock-skew': return new ClockSkewFault(isClockSkewable(target) ? target : cannot('skew region clocks'), regions);
    case 'clock-tie': return new ClockTieFault(isClockSteppable(target) ? target : cannot('step region clocks'), regions);
    case 'failover': return failoverFault(target, regions);
    case 'failpoint': return new FailpointFault(isFailpointArmable(target) ? target : cannot('arm failpoints in its nodes'), regions);
  }
}

/**
 * Named fault sets. `critical` is what the critical tier must survive: majorities that overlap but cannot all talk
 * (ring), a region both sides reach (bridge), failpoints in the consensus path, and kills. `chaos` is every fault
 * the layer can be judged under at once (partitions of every shape, kills, WAN latency, skewed and tied clocks,
 * failpoints in every path): the local target's default, so the first run a user makes reaches every part of the
 * layer. Latency belongs in it: without it, pipelined replication batches arrived in the order they were sent (a
 * receiver that skipped its gap check went unseen), and every prepare heard from the same acceptors. It is the
 * tenth of the WAN table: at full WAN round trips, consensus rounds slowed until two proposers seldom raced
 * (ballot-round-only went from 3/3 seeds to 0/3).
 */
export const NEMESIS_PRESETS: Readonly<Record<string, readonly string[]>> = {
  critical: ['partition-ring', 'partition-bridge', 'failpoint-paxos', 'kill'],
  chaos: ['partition', 'kill', 'latency-wan-fast', 'clock-skew', 'clock-tie', 'failpoint'],
};

/** `latency-<preset>` sets only that WAN preset's delays. */
export const LATENCY_ALIASES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(Object.keys(WAN_PRESETS).map((p) => [`latency-${p}`, [p]]));

/** `failpoint-<path>` arms only that path's points. */
export const FAILPOINT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'failpoint-paxos': PAXOS_FAILPOINTS,
  'failpoint-replication': REPLICATION_FAILPOINTS,
};

/** The fault names with every preset replaced by what it stands for (in order, without repeats). */
export function expandFaultPresets(names: readonly string[]): string[] {
  return [...new Set(names.flatMap((f) => NEMESIS_PRESETS[f] ?? [f]))];
}

/** Each fault kind's alias names (`partition-<shape>`, `failpoint-<path>`, `latency-<preset>`), each naming a part of it. */
export const FAULT_ALIASES: Readonly<Partial<Record<FaultKind, readonly string[]>>> = {
  partition: Object.keys(PARTITION_ALIASES),
  failpoint: Object.keys(FAILPOINT_ALIASES),
  latency: Object.keys(LATENCY_ALIASES),
};

const aliasKind = (f: string): FaultKind | undefined =>
  (Object.keys(FAULT_ALIASES) as FaultKind[]).find((k) => FAULT_ALIASES[k]!.includes(f));

/** Fault names as a run spec gives them → schedule kinds, plus the partition shapes and failpoints the aliases chose. */
export function parseFaultNames(given: readonly string[]): {
  kinds: FaultKind[];
  partitionShapes?: PartitionShape[];
  failpointNames?: string[];
  latencyPresets?: string[];
} {
  const names = expandFaultPresets(given);
  const unknown = names.filter((f) => !isFaultKind(f) && aliasKind(f) === undefined);
  if (unknown.length) {
    const known = [...FAULT_KINDS, ...Object.values(FAULT_ALIASES).flat(), ...Object.keys(NEMESIS_PRESETS)].join(', ');
    throw new Error(`unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}; faults are ${known}`);
  }
  const shapes = names.filter((f) => f in PARTITION_ALIASES).map((f) => PARTITION_ALIASES[f] as PartitionShape);
  const kindOf = (f: string): FaultKind => aliasKind(f) ?? (f as FaultKind);
  const kinds = [...new Set(names.map(kindOf))];
  // Plain `partition` means every shape, even when an alias is listed as well; likewise plain `failpoint`.
  const partitionShapes = shapes.length && !names.includes('partition') ? [...new Set(shapes)] : undefined;
  const points = names.filter((f) => f in FAILPOINT_ALIASES).flatMap((f) => FAILPOINT_ALIASES[f]);
  const failpointNames = points.length && !names.includes('failpoint') ? [...new Set(points)] : undefined;
  const wan = names.filter((f) => f in LATENCY_ALIASES).flatMap((f) => LATENCY_ALIASES[f]);
  const latencyPresets = wan.length && !names.includes('latency') ? [...new Set(wan)] : undefined;
  return { kinds, ...(partitionShapes ? { partitionShapes } : {}), ...(failpointNames ? { failpointNames } : {}), ...(latencyPresets ? { latencyPresets } : {}) };
}

const nemesisOp = (s: NemesisStep): OpTemplate => ({ process: 'nemesis', f: s.f, value: s.value });

export function nemesisPackage(opts: NemesisPackageOptions): NemesisPackage {
  const parsed = parseFaultNames(opts.faults);
  const faults = parsed.kinds;
  // Teardown runs in this order: processes back first, so the later network and clock resets reach them.
  const teardownOrder: FaultKind[] = ['pause', 'kill', 'failpoint', 'failover', 'partition', 'latency', 'bandwidth', 'clock-skew', 'clock-tie'];
  const regions = opts.regions ?? opts.target.regions;
  const network = opts.network ?? (hasFaultNetwork(opts.target) ? opts.target.network : undefined);
  const nemesis = composeNemeses(teardownOrder.filter((k) => faults.includes(k)).map((k) => faultFor(k, opts.target, regions, network)));
  const schedule = new Schedule({
    ...opts, faults, regions,
    partitionShapes: opts.partitionShapes ?? parsed.partitionShapes,
    failpointNames: opts.failpointNames ?? parsed.failpointNames,
    latencyPresets: opts.latencyPresets ?? parsed.latencyPresets,
  });
  // How far the main generator got; the only state outside the (immutable) generator values.
  let emitted = 0;

  const main = (i: number, t0: number | undefined): Generator => ({
    op(ctx): GenResult {
      const start = t0 ?? ctx.time;
      if (!ctx.freeProcesses.includes('nemesis')) return { pending: true, next: main(i, start) };
      const s = schedule.get(i);
      if (!s) return undefined;
      const due = start + s.at * 1e6;
      if (ctx.time < due) return { pending: true, until: due, next: main(i, start) };
      emitted = Math.max(emitted, i + 1);
      return { op: nemesisOp(s), next: main(i + 1, start) };
    },
  });

  const finalHeal = () => recoveryOps(schedule.stateAfter(emitted));
  const recovery = (steps: readonly NemesisStep[] | undefined): Generator => ({
    op(ctx): GenResult {
      const todo = steps ?? finalHeal();
      if (todo.length === 0) return undefined;
      if (!ctx.freeProcesses.includes('nemesis')) return { pending: true, next: recovery(todo) };
      return { op: nemesisOp(todo[0]), next: recovery(todo.slice(1)) };
    },
  });

  return { nemesis, generator: main(0, undefined), finalGenerator: recovery(undefined), schedule, finalHeal };
}
