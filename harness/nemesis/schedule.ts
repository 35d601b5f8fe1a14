import type { CutMode } from '../core/target.ts';
import { deriveRandom, pick, weightedPick } from '../core/random.ts';
import { hears, minRegions, partitionFromGroups, partitionOf, PARTITION_SHAPES, type Partition, type PartitionShape } from '../net/grudge.ts';
import type { PartitionValue } from './faults/partition.ts';
import { WAN_PRESETS } from './wan-presets.ts';
import { FAILPOINT_ACTIONS, FAILPOINT_NAMES, FAILPOINT_PATHS } from './faults/failpoint.ts';
import { DEFAULT_TIE_TICK_MS } from './faults/clock-tie.ts';

/**
 * The fault schedule: which nemesis op comes next and when, chosen by weights that depend on what is in
 * force (as in TigerBeetle's Vortex and Jepsen's combined packages), with the kinds started dealt like a deck
 * (`dealt`), so a run of a minute sees every kind asked for.
 *
 * Rules: a fault kind that is in force is offered only as its recovery (heal, restart, resume, clear-…),
 * except kill and pause, which may hit another region; a region is killed or paused only while at least
 * one other region stays live (up and not paused), and never more than `maxDown` at once, so a quorum system
 * can be held to staying available under minority failures; a new
 * partition comes only after the previous one is healed, and never during a failover (each heals the
 * whole network when it ends); clocks are skewed (or tied) only on live regions and
 * cleared only when none of them is paused; one failpoint is armed at a time, on a live region, and cleared only
 * while that region is not paused; `recoveryOps(state)` lists what ends every fault.
 *
 * Clock faults are aimed at partitions on purpose, because a peer's timestamp repairs a clock within milliseconds:
 * while a partition leaves regions hearing from no peer, half the skews set exactly those regions back (their HLC
 * must hold the order alone); every skew sets at least one region back, and every other one (the first included)
 * sets every live region back, so that no peer's timestamp repairs a clock that went back; and a tie steps every live unskewed region
 * alike, so regions that cannot hear each other hand out equal timestamps at every step instead of only in the
 * milliseconds before replication syncs them.
 *
 * Every fault ends within `maxHoldSteps` ops of the one that started it (its recovery comes before anything else
 * then): left to compete with new faults by weight alone, a fault stayed in force for 10–30 s of a minute's run (a
 * region killed at second 31 came back at the end), so a run saw few of the moments that find bugs (a heal, a
 * restart, a clock coming back), and whole parts of it ran on two regions.
 *
 * Reproducible: choices and gaps come from the run seed's "nemesis" stream, and the state advances on
 * what was *asked*, not on what took effect, so the same seed gives the same schedule even when a fault
 * fails (the failed op is recorded with tookEffect false, and its recovery is still issued).
 */

export const FAULT_KINDS = ['partition', 'kill', 'pause', 'latency', 'bandwidth', 'clock-skew', 'clock-tie', 'failover', 'failpoint'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const isFaultKind = (s: string): s is FaultKind => (FAULT_KINDS as readonly string[]).includes(s);

export interface ScheduleOptions {
  faults: readonly FaultKind[];
  regions: readonly string[];
  seed: number;
  /** Mean gap between ops; each gap is uniform in [0.5, 1.5] × this. */
  intervalMs: number;
  /** Relative frequency per kind (default 1 each): how many starts each round of the deal gives it (see `dealt`). */
  weights?: Partial<Record<FaultKind, number>>;
  partitionShapes?: readonly PartitionShape[];
  partitionModes?: readonly CutMode[];
  latencyPresets?: readonly string[];
  bandwidthKBps?: readonly number[];
  /** Largest |offset| a clock skew uses. */
  maxClockSkewMs?: number;
  /** Most regions killed or paused at once (default: all but one). */
  maxDown?: number;
  /** Failpoints the failpoint fault may arm (default: every one the layer has). */
  failpointNames?: readonly string[];
  /** The most ops a fault stays in force for: the `maxHoldSteps`-th op after its start ends it (default 3). */
  maxHoldSteps?: number;
}

export const DEFAULT_MAX_HOLD_STEPS = 3;

export interface NemesisState {
  dead: readonly string[];
  paused: readonly string[];
  partition: PartitionValue | null;
  /** A failover (faults/failover.ts) is in force; it owns the network's cuts as a partition does. */
  failover: boolean;
  latency: string | null;
  bandwidth: number | null;
  skewed: readonly string[];
  /** Regions with a failpoint armed (it may have crashed the node since; clearing restarts it). */
  failpoints: readonly string[];
  /** Regions whose clocks the clock-tie fault froze at one instant. */
  tied: readonly string[];
  /** Per fault in force (named by `faultEndedBy` of its recovery), how many ops were asked for since the one that started it. */
  ages: Readonly<Record<string, number>>;
  /** How many times each fault kind was started: the deck (see `dealt`) is read off these counts. */
  started: Readonly<Partial<Record<FaultKind, number>>>;
}

export interface NemesisStep {
  f: string;
  value: unknown;
}

export interface ScheduledOp extends NemesisStep {
  /** Milliseconds after the schedule starts. */
  at: number;
}

export const initialState = (): NemesisState => ({ dead: [], paused: [], partition: null, failover: false, latency: null, bandwidth: null, skewed: [], tied: [], failpoints: [], ages: {}, started: {} });

/** The fault a recovery op ends: the name its age is kept under (one per region for kills, pauses and failpoints). */
function faultEndedBy(step: NemesisStep): string {
  switch (step.f) {
    case 'heal': return 'partition';
    case 'heal-failover': return 'failover';
    case 'restart': return `kill ${step.value as string}`;
    case 'resume': return `pause ${step.value as string}`;
    case 'clear-failpoint': return `failpoint ${(step.value as { region: string }).region}`;
    default: return step.f.replace(/^clear-/, '');
  }
}

const without = (xs: readonly string[], x: string) => xs.filter((y) => y !== x);

/** The state after an op is asked for. */
export function advance(s: NemesisState, step: NemesisStep): NemesisState {
  const next = applyStep(s, step);
  const ages: Record<string, number> = {};
  // recoveryOps lists one op per fault in force, so the faults in force are what those ops end.
  for (const f of recoveryOps(next).map(faultEndedBy)) ages[f] = f in s.ages ? s.ages[f] + 1 : 0;
  const started = isFaultKind(step.f) ? { ...s.started, [step.f]: (s.started[step.f] ?? 0) + 1 } : s.started;
  return { ...next, ages, started };
}

function applyStep(s: NemesisState, step: NemesisStep): NemesisState {
  const v = step.value;
  switch (step.f) {
    case 'partition': return { ...s, partition: v as PartitionValue };
    case 'heal': return { ...s, partition: null };
    case 'failover': return { ...s, failover: true };
    case 'heal-failover': return { ...s, failover: false };
    // A restarted node starts with a true clock (the layer keeps its offset in memory), so a kill ends its skew.
    case 'kill': return { ...s, dead: [...s.dead, v as string], skewed: without(s.skewed, v as string), tied: without(s.tied, v as string) };
    case 'restart': return { ...s, dead: without(s.dead, v as string) };
    case 'pause': return { ...s, paused: [...s.paused, v as string] };
    case 'resume': return { ...s, paused: without(s.paused, v as string) };
    case 'latency': return { ...s, latency: (v as { preset: string }).preset };
    case 'clear-latency': return { ...s, latency: null };
    case 'bandwidth': return { ...s, bandwidth: (v as { rateKBps: number }).rateKBps };
    case 'clear-bandwidth': return { ...s, bandwidth: null };
    case 'clock-skew': return { ...s, skewed: Object.keys((v as { offsets: Record<string, number> }).offsets) };
    case 'clear-clock-skew': return { ...s, skewed: [] };
    case 'failpoint': return { ...s, failpoints: [...s.failpoints, (v as { region: string }).region] };
    case 'clear-failpoint': return { ...s, failpoints: without(s.failpoints, (v as { region: string }).region) };
    case 'clock-tie': return { ...s, tied: [...(v as { regions: string[] }).regions] };
    case 'clear-clock-tie': return { ...s, tied: [] };
    default: throw new Error(`nemesis schedule: unknown op "${step.f}"`);
  }
}

/** Everything needed to end every fault in force, in a safe order: processes first, then the network, then clocks. */
export function recoveryOps(s: NemesisState): NemesisStep[] {
  return [
    ...s.paused.map((r) => ({ f: 'resume', value: r })),
    ...s.dead.map((r) => ({ f: 'restart', value: r })),
    // After restarts: clearing a failpoint also restarts a node that crashed at it, which needs its region back.
    ...s.failpoints.map((r) => ({ f: 'clear-failpoint', value: { region: r } })),
    ...(s.failover ? [{ f: 'heal-failover', value: null }] : []),
    ...(s.partition ? [{ f: 'heal', value: null }] : []),
    ...(s.latency ? [{ f: 'clear-latency', value: null }] : []),
    ...(s.bandwidth ? [{ f: 'clear-bandwidth', value: null }] : []),
    ...(s.skewed.length ? [{ f: 'clear-clock-skew', value: { regions: [...s.skewed] } }] : []),
    ...(s.tied.length ? [{ f: 'clear-clock-tie', value: { regions: [...s.tied] } }] : []),
  ];
}

function shuffled<T>(rnd: () => number, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

interface Candidate {
  weight: number;
  /** The kind this candidate starts; absent for recoveries. */
  starts?: FaultKind;
  make(): NemesisStep;
}

/** The ops that may come next, with weights; empty only when nothing is allowed. */
function candidates(s: NemesisState, o: ScheduleOptions, rnd: () => number): Candidate[] {
  const out: Candidate[] = [];
  const live = o.regions.filter((r) => !s.dead.includes(r) && !s.paused.includes(r));
  for (const kind of o.faults) {
    const weight = weightOf(kind, o);
    switch (kind) {
      case 'partition': {
        if (s.partition) {
          out.push({ weight, make: () => ({ f: 'heal', value: null }) });
          break;
        }
        // Both heal the whole network, so a partition and a failover never overlap.
        if (s.failover) break;
        const shapes = eligibleShapes(o);
        if (shapes.length === 0) break;
        // Started once per class of shape (see dealtShape) as often as one fault.
        out.push({
          weight: dealWeight(kind, o),
          starts: kind,
          make: () => {
            const shape = dealtShape(o.seed, shapes, o.regions, s.started.partition ?? 0);
            const mode = pick(rnd, o.partitionModes ?? (['clean', 'black-hole'] as const));
            return { f: 'partition', value: { shape, groups: partitionOf(shape, shuffled(rnd, o.regions)).groups, mode } };
          },
        });
        break;
      }
      case 'failover':
        if (s.failover) out.push({ weight, make: () => ({ f: 'heal-failover', value: null }) });
        // The target picks the replica to promote: only it knows which region is primary now.
        else if (!s.partition && o.regions.length >= 2) out.push({ weight, starts: kind, make: () => ({ f: 'failover', value: {} }) });
        break;
      case 'kill':
      case 'pause': {
        const down = kind === 'kill' ? s.dead : s.paused;
        const [start, stop] = kind === 'kill' ? ['kill', 'restart'] : ['pause', 'resume'];
        const canTake = live.length >= 2 && o.regions.length - live.length < (o.maxDown ?? o.regions.length - 1);
        const split = down.length > 0 && canTake ? weight / 2 : weight;
        if (canTake) out.push({ weight: split, starts: kind, make: () => ({ f: start, value: pick(rnd, live) }) });
        if (down.length > 0) out.push({ weight: split, make: () => ({ f: stop, value: pick(rnd, down) }) });
        break;
      }
      case 'latency':
        if (s.latency) out.push({ weight, make: () => ({ f: 'clear-latency', value: null }) });
        else out.push({ weight, starts: kind, make: () => ({ f: 'latency', value: { preset: pick(rnd, o.latencyPresets ?? Object.keys(WAN_PRESETS)) } }) });
        break;
      case 'bandwidth':
        if (s.bandwidth) out.push({ weight, make: () => ({ f: 'clear-bandwidth', value: null }) });
        else out.push({ weight, starts: kind, make: () => ({ f: 'bandwidth', value: { rateKBps: pick(rnd, o.bandwidthKBps ?? [32, 128, 512]) } }) });
        break;
      case 'failpoint': {
        if (s.failpoints.length) {
          const clearable = s.failpoints.map((region) => ({ f: 'clear-failpoint', value: { region } })).filter((step) => canRecoverNow(s, step));
          if (clearable.length) out.push({ weight, make: () => pick(rnd, clearable) });
          break;
        }
        if (live.length === 0) break;
        // Armed once per path as often as one fault: with the points of two paths pooled, a run of a minute armed
        // two or three failpoints, and often none in the consensus path.
        const paths = failpointPaths(o);
        out.push({ weight: dealWeight(kind, o), starts: kind, make: () => ({ f: 'failpoint', value: failpointValue(rnd, pick(rnd, live), paths, s.started.failpoint ?? 0) }) });
        break;
      }
      case 'clock-skew': {
        if (s.skewed.length) {
          const clear = { f: 'clear-clock-skew', value: { regions: [...s.skewed] } };
          if (canRecoverNow(s, clear)) out.push({ weight, make: () => clear });
          break;
        }
        out.push({
          weight,
          starts: kind,
          make: () => {
            const max = o.maxClockSkewMs ?? 5000;
            const deaf = s.partition ? deafRegions(s.partition, o.regions).filter((r) => live.includes(r)) : [];
            if (deaf.length && rnd() < 0.5) {
              const offsets: Record<string, number> = {};
              for (const r of deaf) offsets[r] = -Math.round((0.2 + 0.8 * rnd()) * max);
              return { f: 'clock-skew', value: { offsets } };
            }
            const offsets: Record<string, number> = {};
            // Every other skew, the first included, sets every live clock back, each by its own amount: a timestamp
            // from a peer whose clock still runs on lifts a clock that forgot its past back above it within
            // milliseconds, so with one region set back alone a clock that went backwards showed in some runs only.
            if ((s.started['clock-skew'] ?? 0) % 2 === 0) {
              for (const r of live) offsets[r] = -Math.round((0.2 + 0.8 * rnd()) * max);
              return { f: 'clock-skew', value: { offsets } };
            }
            // The first region picked is set back: a clock going back is what a hybrid logical clock must survive,
            // and with every sign drawn at random, a minute's two skews now and then moved clocks only forward.
            const count = 1 + Math.floor(rnd() * live.length);
            shuffled(rnd, live).slice(0, count).forEach((r, i) => {
              offsets[r] = i === 0 ? -Math.round((0.2 + 0.8 * rnd()) * max) : Math.round((rnd() * 2 - 1) * max);
            });
            return { f: 'clock-skew', value: { offsets } };
          },
        });
        break;
      }
      case 'clock-tie': {
        if (s.tied.length) {
          const clear = { f: 'clear-clock-tie', value: { regions: [...s.tied] } };
          if (canRecoverNow(s, clear)) out.push({ weight, make: () => clear });
          break;
        }
        // A skewed clock steps at other instants than the rest, so it cannot tie with them.
        const smooth = live.filter((r) => !s.skewed.includes(r));
        if (smooth.length >= 2) out.push({ weight, starts: kind, make: () => ({ f: 'clock-tie', value: { regions: [...smooth].sort(), tickMs: DEFAULT_TIE_TICK_MS } }) });
        break;
      }
    }
  }
  return out;
}

/**
 * The shape of the run's n-th partition: shapes are dealt like the fault kinds, each once in a seeded order before
 * any again. Picked at random, a minute's two or three partitions were now and then all client-side (the regions
 * still replicating to each other), and a run without a partition between regions misses what only lag between
 * regions shows (a session roaming to a region that lacks its writes, a remove racing an add).
 *
 * Within a round, shapes that leave some region hearing from no other (isolate; halves of three) alternate with
 * those that leave every region hearing some peer (bridge, ring, asymmetric, client-side), starting with the former:
 * shuffled alone, two in five of a default minute's schedules had no region cut off from every peer, and a read
 * served from a region's own lagging replica, or a gap in its replication, shows only while it hears nobody for
 * seconds; the partial shapes, next in line, are what a quorum's membership bugs need.
 */
function dealtShape(seed: number, shapes: readonly PartitionShape[], regions: readonly string[], n: number): PartitionShape {
  const round = Math.floor(n / shapes.length);
  const deck = shuffled(deriveRandom(seed, `partition-shapes-${round}`), shapes);
  const cutOff = deck.filter((sh) => leavesDeaf(sh, regions));
  const partial = deck.filter((sh) => !leavesDeaf(sh, regions));
  const alternating = Array.from({ length: Math.max(cutOff.length, partial.length) }, (_, i) => [cutOff[i], partial[i]]).flat();
  return alternating.filter((sh) => sh !== undefined)[n % shapes.length];
}

/** Whether partitions of this shape leave some region hearing from no other. */
function leavesDeaf(shape: PartitionShape, regions: readonly string[]): boolean {
  return deafIn(partitionOf(shape, regions), regions).length > 0;
}

/** Regions that hear from no other region while `p` is in force. */
function deafRegions(p: PartitionValue, regions: readonly string[]): string[] {
  return deafIn(partitionFromGroups(p.shape, p.groups, regions), regions);
}

function deafIn(partition: Partition, regions: readonly string[]): string[] {
  return regions.filter((r) => hears(partition, regions, r).length === 1);
}

/**
 * The run's n-th arming, a point, an action and its parameters: the paths in turn, and on the path with cuts that
 * leave a value with a minority, every other arm (its first included) one of those and the rest one of the others.
 * Drawn at random, the two consensus arms of a default minute now and then held none of those cuts, and a read that
 * skips the accept phase went unseen in that run. Pauses are long enough for other proposers and shippers to move on
 * meanwhile; `times` > 1 lets a drop or pause hit a burst.
 */
function failpointValue(rnd: () => number, region: string, paths: readonly (readonly FailpointCut[])[], n: number): Record<string, unknown> {
  const path = paths[n % paths.length];
  const leavesMinority = (cut: FailpointCut) => (cut.k ?? 0) >= 1;
  const minority = path.filter(leavesMinority);
  const turn = Math.floor(n / paths.length);
  const cuts = minority.length === 0 ? path : turn % 2 === 0 ? minority : path.filter((cut) => !leavesMinority(cut));
  const cut = pick(rnd, cuts);
  // A crash after the accept reached k acceptors leaves the very state a dropped accept does, but one value only:
  // a run whose one minority cut crashed its node slipped through with the read that skips the accept phase.
  const action = leavesMinority(cut) ? pick(rnd, FAILPOINT_ACTIONS.filter((a) => a !== 'crash')) : pick(rnd, FAILPOINT_ACTIONS);
  return {
    region, name: cut.name, action,
    ...(action === 'pause' ? { ms: pick(rnd, [200, 600, 1500]) } : {}),
    ...(cut.k !== undefined ? { k: cut.k } : {}),
    // A value left with a minority is completed or overwritten by the next proposer within a few hundred ms; a read
    // that skipped the accept phase shows only if reads from both sides of it fall in that window, so such a cut
    // leaves several values behind.
    times: action === 'crash' ? 1 : pick(rnd, leavesMinority(cut) ? [5, 20] : [1, 5, 20]),
  };
}

/** One way to cut a path short: a point, and for paxos-accept-sent how many acceptors the accept reached first. */
interface FailpointCut {
  name: string;
  k?: number;
}

/**
 * The failpoints a run may arm, grouped by path (paths with none left out), in the order they are armed in turn.
 * paxos-accept-sent is one cut per k below a majority. k = 0 holds every accept back (a proposer that
 * prepared but has not accepted yet) and is as likely as any other point; the cuts with k ≥ 1 leave a value with a
 * minority, the one state of consensus no other fault makes and every read and later proposer must get right, so
 * they are every other arm of the path (see `failpointValue`; one in six, as one cut among the others, left such a
 * value in about a third of a minute's runs; a third of the arms, in half of them; half of them at random, in three
 * runs of four).
 */
function failpointPaths(o: ScheduleOptions): FailpointCut[][] {
  const allowed = o.failpointNames ?? FAILPOINT_NAMES;
  const majority = Math.floor(o.regions.length / 2) + 1;
  return FAILPOINT_PATHS.map((path) => {
    const names = path.filter((n) => allowed.includes(n));
    const plain: FailpointCut[] = names.flatMap((name) => (name === 'paxos-accept-sent' ? [{ name, k: 0 }] : [{ name }]));
    const minority: FailpointCut[] = names.includes('paxos-accept-sent')
      ? Array.from({ length: majority - 1 }, (_, i) => ({ name: 'paxos-accept-sent', k: i + 1 }))
      : [];
    return [...plain, ...minority];
  }).filter((path) => path.length > 0);
}

/** A node that is paused cannot answer its admin API, so what it alone can undo waits for its resume. */
function canRecoverNow(s: NemesisState, step: NemesisStep): boolean {
  switch (step.f) {
    case 'clear-failpoint': return !s.paused.includes((step.value as { region: string }).region);
    case 'clear-clock-skew': return !s.skewed.some((r) => s.paused.includes(r));
    case 'clear-clock-tie': return !s.tied.some((r) => s.paused.includes(r));
    default: return true;
  }
}

/** Picks the next op for a state; undefined when no fault may be injected or ended. */
export function nextStep(s: NemesisState, o: ScheduleOptions, rnd: () => number): NemesisStep | undefined {
  const hold = o.maxHoldSteps ?? DEFAULT_MAX_HOLD_STEPS;
  const due = recoveryOps(s).find((r) => s.ages[faultEndedBy(r)] >= hold - 1 && canRecoverNow(s, r));
  if (due) return due;
  const c = weightedPick(rnd, dealt(s, o, candidates(s, o, rnd)).map((x) => ({ item: x, weight: x.weight })));
  return c?.make();
}

/**
 * A kind's share of the starts: its weight, and for failpoints one share per path, for partitions one per class of
 * shape (cutting a region off from every peer, or not; see `dealtShape`). With one share, a minute brought two or
 * three partitions, and a region cut off came at the cost of the ring or bridge a quorum's bugs need.
 */
function dealWeight(kind: FaultKind, o: ScheduleOptions): number {
  const shares = kind === 'failpoint' ? failpointPaths(o).length : kind === 'partition' ? new Set(eligibleShapes(o).map((sh) => leavesDeaf(sh, o.regions))).size : 1;
  return weightOf(kind, o) * shares;
}

const eligibleShapes = (o: ScheduleOptions): PartitionShape[] => (o.partitionShapes ?? PARTITION_SHAPES).filter((sh) => o.regions.length >= minRegions(sh));

const weightOf = (kind: FaultKind, o: ScheduleOptions): number => o.weights?.[kind] ?? 1;

/**
 * Fault kinds are dealt like a deck: in round R a kind starts up to R × its deal weight times in all, and the round
 * is the first in which a kind that may start now, or is in force, has starts left; so every kind is started once
 * (failpoints once per path) before any kind again. Picked by weight alone, a kind with a ninth of the weight was
 * absent from a minute's fifteen starts in more than a quarter of the default runs (one seed skewed no clock at all,
 * another partitioned only twice, in its second half), and the bugs only that kind reaches went unseen. A kind in
 * force holds the others back until it is ended and started again, so two faults cannot take turns while a third
 * waits; a kind that cannot start for another reason (a partition during a failover) is left out of the round and
 * catches up when it can. When only the starts the round allows are blocked, the round is taken from the kinds
 * that can start. Recoveries are never held back.
 */
function dealt(s: NemesisState, o: ScheduleOptions, cs: Candidate[]): Candidate[] {
  const count = (k: FaultKind) => s.started[k] ?? 0;
  const roundOf = (kinds: readonly FaultKind[]) => Math.min(...kinds.map((k) => Math.floor(count(k) / dealWeight(k, o)) + 1));
  const allowed = (round: number) => cs.filter((c) => !c.starts || (c.weight > 0 && count(c.starts) < round * dealWeight(c.starts, o)));
  // A kind weighted zero is never picked, so it has no round to be in.
  const startable = [...new Set(cs.flatMap((c) => (c.starts && c.weight > 0 ? [c.starts] : [])))];
  if (startable.length === 0) return cs;
  const inForce = recoveryOps(s).map((r) => faultEndedBy(r).split(' ')[0]).filter((k): k is FaultKind => isFaultKind(k) && o.faults.includes(k) && dealWeight(k, o) > 0);
  const held = allowed(roundOf([...startable, ...inForce]));
  return held.length > 0 ? held : allowed(roundOf(startable));
}

export function validateScheduleOptions(o: ScheduleOptions): void {
  for (const f of o.faults) if (!isFaultKind(f)) throw new Error(`unknown fault "${f}"; faults are ${FAULT_KINDS.join(', ')}`);
  if (!(o.intervalMs > 0)) throw new Error(`nemesis interval must be > 0 ms, got ${o.intervalMs}`);
  if (o.regions.length === 0) throw new Error('nemesis schedule: no regions');
  for (const p of o.latencyPresets ?? []) if (!WAN_PRESETS[p]) throw new Error(`unknown latency preset "${p}"; presets are ${Object.keys(WAN_PRESETS).join(', ')}`);
  for (const [k, v] of Object.entries(o.weights ?? {})) if (!(v >= 0)) throw new Error(`weight of ${k} must be ≥ 0, got ${v}`);
  for (const n of o.failpointNames ?? []) if (!FAILPOINT_NAMES.includes(n)) throw new Error(`unknown failpoint "${n}"; failpoints are ${FAILPOINT_NAMES.join(', ')}`);
  if (o.maxDown !== undefined && !(Number.isInteger(o.maxDown) && o.maxDown >= 1)) throw new Error(`max down must be an integer ≥ 1, got ${o.maxDown}`);
  if (o.maxHoldSteps !== undefined && !(Number.isInteger(o.maxHoldSteps) && o.maxHoldSteps >= 1)) throw new Error(`max hold steps must be an integer ≥ 1, got ${o.maxHoldSteps}`);
}

/**
 * An endless schedule, computed lazily and memoised, so entry i is the same however often and in
 * whatever order it is read: generators holding an index stay immutable values.
 */
export class Schedule {
  private readonly ops: ScheduledOp[] = [];
  private readonly states: NemesisState[] = [initialState()];
  private readonly rnd: () => number;

  constructor(readonly options: ScheduleOptions) {
    validateScheduleOptions(options);
    this.rnd = deriveRandom(options.seed, 'nemesis');
  }

  /** The i-th op, or undefined if the schedule has nothing left to do (no fault kinds can act). */
  get(i: number): ScheduledOp | undefined {
    while (this.ops.length <= i) {
      const s = this.states[this.states.length - 1];
      const step = nextStep(s, this.options, this.rnd);
      if (!step) return undefined;
      const prev = this.ops.length ? this.ops[this.ops.length - 1].at : 0;
      const gap = this.options.intervalMs * (0.5 + this.rnd());
      this.ops.push({ at: Math.round(prev + gap), ...step });
      this.states.push(advance(s, step));
    }
    return this.ops[i];
  }

  /** The state once ops 0..n-1 have been asked for. */
  stateAfter(n: number): NemesisState {
    if (n > 0) this.get(n - 1);
    return this.states[Math.min(n, this.states.length - 1)];
  }

  /** The first n ops, for printing and tests. */
  take(n: number): ScheduledOp[] {
    const out: ScheduledOp[] = [];
    for (let i = 0; i < n; i++) {
      const op = this.get(i);
      if (!op) break;
      out.push(op);
    }
    return out;
  }
}
