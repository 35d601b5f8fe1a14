import { clientLink, peerLink } from '../core/target.ts';

/**
 * Partition shapes as pure data: which directed region→region links to cut (a "grudge": for each region,
 * whom it no longer hears from). A cut pair [from, to] means what `from` sends does not reach `to`; link
 * names follow harness/core/target.ts, so `cutLinks` maps a partition straight onto the fault network.
 *
 * Shapes take the regions in the order they should be used: callers shuffle with their seeded PRNG, so
 * the functions stay deterministic and testable.
 */

export type PartitionShape = 'isolate' | 'halves' | 'bridge' | 'majorities-ring' | 'asymmetric' | 'client-side';
export const PARTITION_SHAPES: readonly PartitionShape[] = ['isolate', 'halves', 'bridge', 'majorities-ring', 'asymmetric', 'client-side'];

export interface Partition {
  shape: PartitionShape;
  /** Components, for the history and reports; for ring and bridge shapes, each region's view. */
  groups: string[][];
  /** Directed [from, to] region pairs that no longer communicate. */
  cuts: [string, string][];
  /** Regions clients can no longer reach. */
  clientCuts: string[];
  /** One line for people: "isolated us-east". */
  description: string;
}

function need(regions: readonly string[], min: number, shape: string): void {
  if (new Set(regions).size !== regions.length) throw new Error(`${shape}: regions must be distinct, got [${regions.join(', ')}]`);
  if (regions.length < min) throw new Error(`${shape} needs at least ${min} regions, got ${regions.length}`);
}

function member(regions: readonly string[], r: string, shape: string): void {
  if (!regions.includes(r)) throw new Error(`${shape}: "${r}" is not one of the regions [${regions.join(', ')}]`);
}

/** Cuts every link between different groups, both ways. */
export function betweenGroups(groups: readonly (readonly string[])[]): [string, string][] {
  const cuts: [string, string][] = [];
  groups.forEach((g, i) =>
    groups.forEach((h, j) => {
      if (i !== j) for (const a of g) for (const b of h) cuts.push([a, b]);
    }),
  );
  return cuts;
}

/** `one` alone on one side, everyone else on the other. */
export function isolate(regions: readonly string[], one: string): Partition {
  need(regions, 2, 'isolate');
  member(regions, one, 'isolate');
  const groups = [[one], regions.filter((r) => r !== one)];
  return { shape: 'isolate', groups, cuts: betweenGroups(groups), clientCuts: [], description: `isolated ${one}` };
}

/** A minority (the first ⌊n/2⌋ in `order`) and a majority (the rest). */
export function halves(order: readonly string[]): Partition {
  need(order, 2, 'halves');
  const k = Math.floor(order.length / 2);
  const groups = [order.slice(0, k), order.slice(k)];
  return {
    shape: 'halves', groups, cuts: betweenGroups(groups), clientCuts: [],
    description: `minority [${groups[0].join(', ')}] | majority [${groups[1].join(', ')}]`,
  };
}

/**
 * Two sides that cannot talk, and one bridge region (the first in `order`) that talks to both: the shape
 * in which a bridge node can help both sides believe they hold a majority.
 */
export function bridge(order: readonly string[]): Partition {
  need(order, 3, 'bridge');
  const [b, ...rest] = order;
  const k = Math.ceil(rest.length / 2);
  const left = rest.slice(0, k);
  const right = rest.slice(k);
  return {
    shape: 'bridge',
    groups: [[...left, b], [b, ...right]],
    cuts: betweenGroups([left, right]),
    clientCuts: [],
    description: `bridge ${b} between [${left.join(', ')}] and [${right.join(', ')}]`,
  };
}

/**
 * Regions on a ring (in `order`); each hears only from itself and the next m−1 regions, m = ⌊n/2⌋+1 being
 * a majority. Every region sees a majority, but no two see the same one, so quorum systems that assume
 * "a majority is a majority" disagree. Directed because a symmetric version does not exist for 3 regions.
 */
export function majoritiesRing(order: readonly string[]): Partition {
  need(order, 3, 'majorities-ring');
  const n = order.length;
  const m = Math.floor(n / 2) + 1;
  const views = order.map((_, i) => Array.from({ length: m }, (_, d) => order[(i + d) % n]));
  const cuts: [string, string][] = [];
  order.forEach((to, i) => {
    for (const from of order) if (!views[i].includes(from)) cuts.push([from, to]);
  });
  return { shape: 'majorities-ring', groups: views, cuts, clientCuts: [], description: `majorities ring ${order.join(' → ')}` };
}

/** What `one` sends reaches nobody, but it still hears everyone: a one-way isolation. */
export function asymmetric(regions: readonly string[], one: string): Partition {
  need(regions, 2, 'asymmetric');
  member(regions, one, 'asymmetric');
  const others = regions.filter((r) => r !== one);
  return {
    shape: 'asymmetric', groups: [[one], others], cuts: others.map((o): [string, string] => [one, o]), clientCuts: [],
    description: `${one} cannot send to [${others.join(', ')}] (still hears them)`,
  };
}

/** Clients cannot reach `one`; the regions still talk among themselves. */
export function clientSide(regions: readonly string[], one: string): Partition {
  need(regions, 1, 'client-side');
  member(regions, one, 'client-side');
  return { shape: 'client-side', groups: [[one]], cuts: [], clientCuts: [one], description: `clients cut from ${one}` };
}

/** Builds a shape from regions already put in the order to use (the first is the "chosen" one where there is one). */
export function partitionOf(shape: PartitionShape, order: readonly string[]): Partition {
  switch (shape) {
    case 'isolate': return isolate(order, order[0]);
    case 'halves': return halves(order);
    case 'bridge': return bridge(order);
    case 'majorities-ring': return majoritiesRing(order);
    case 'asymmetric': return asymmetric(order, order[0]);
    case 'client-side': return clientSide(order, order[0]);
  }
}

/** Smallest number of regions a shape needs to mean anything. */
export const minRegions = (shape: PartitionShape): number =>
  shape === 'bridge' || shape === 'majorities-ring' ? 3 : shape === 'client-side' ? 1 : 2;

/** The fault-network links to cut for a partition. */
export function cutLinks(p: Partition): string[] {
  return [...p.cuts.map(([from, to]) => peerLink(from, to)), ...p.clientCuts.map(clientLink)];
}

/** Regions `to` still hears from (itself included) under a partition. */
export function hears(p: Partition, regions: readonly string[], to: string): string[] {
  const cut = new Set(p.cuts.filter(([, t]) => t === to).map(([f]) => f));
  return regions.filter((r) => !cut.has(r));
}

/**
 * Rebuilds a partition from the `{shape, groups}` recorded in a history (the inverse of `groups`), so a
 * nemesis op carries only what people read, and hand-written ops are validated against the regions.
 */
export function partitionFromGroups(shape: PartitionShape, groups: readonly (readonly string[])[], regions: readonly string[]): Partition {
  const bad = (why: string): never => {
    throw new Error(`partition ${shape} with groups ${JSON.stringify(groups)}: ${why}`);
  };
  if (!PARTITION_SHAPES.includes(shape)) bad(`unknown shape; shapes are ${PARTITION_SHAPES.join(', ')}`);
  if (!Array.isArray(groups) || groups.some((g) => !Array.isArray(g) || g.length === 0)) bad('groups must be non-empty lists of regions');
  for (const r of groups.flat()) if (!regions.includes(r)) bad(`"${r}" is not one of the regions [${regions.join(', ')}]`);
  const distinct = new Set(groups.flat()).size === groups.flat().length;
  switch (shape) {
    case 'isolate':
    case 'halves':
    case 'asymmetric':
      if (groups.length !== 2 || !distinct) bad('needs two disjoint groups');
      if (shape === 'asymmetric') {
        if (groups[0].length !== 1) bad('the first group must be the one region that cannot send');
        return asymmetric([...groups[0], ...groups[1]], groups[0][0]);
      }
      if (shape === 'isolate') {
        if (groups[0].length !== 1) bad('the first group must be the one isolated region');
        return isolate([...groups[0], ...groups[1]], groups[0][0]);
      }
      return {
        shape, groups: groups.map((g) => [...g]), cuts: betweenGroups(groups), clientCuts: [],
        description: `[${groups[0].join(', ')}] | [${groups[1].join(', ')}]`,
      };
    case 'client-side':
      if (groups.length !== 1 || groups[0].length !== 1) bad('needs one group holding one region');
      return clientSide(regions, groups[0][0]);
    case 'bridge': {
      if (groups.length !== 2) bad('needs two groups sharing the bridge region');
      const shared = groups[0].filter((r) => groups[1].includes(r));
      if (shared.length !== 1) bad('the groups must share exactly one (bridge) region');
      const b = shared[0];
      const left = groups[0].filter((r) => r !== b);
      const right = groups[1].filter((r) => r !== b);
      return { shape, groups: groups.map((g) => [...g]), cuts: betweenGroups([left, right]), clientCuts: [], description: `bridge ${b} between [${left.join(', ')}] and [${right.join(', ')}]` };
    }
    case 'majorities-ring': {
      const order = groups.map((g) => g[0]);
      if (new Set(order).size !== order.length) bad('each view must start with a different region');
      const p = majoritiesRing(order);
      if (JSON.stringify(p.groups) !== JSON.stringify(groups)) bad(`views do not form a majorities ring over ${order.join(' → ')}`);
      return p;
    }
  }
}
