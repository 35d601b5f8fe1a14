import { clientLink, peerLink } from '../../core/target.ts';
import type { PartitionShape } from '../../net/grudge.ts';

/**
 * Which of the fault network's directed links an etcd cluster can actually cut, and with which proxies.
 *
 * Every member advertises one peer URL (its inbound peer proxy) that all other members dial, because etcd's
 * cluster ID is derived from the shared `--initial-cluster`. etcd's peer transport (rafthttp) carries both
 * directions between two members over connections dialled either way: a member's stream reader dials the peer
 * and receives that peer's messages over it, and when no stream is attached a member POSTs its messages to the
 * peer's URL (the pipeline). So members a and b can exchange messages as long as EITHER of their inbound peer
 * proxies is open, and cutting one member's inbound proxy alone isolates nobody. (Observed with etcd 3.4.23:
 * with only member a's inbound proxy black-holed, writes through a stalled for about two seconds and then
 * succeeded and were read through c.)
 *
 * Consequently the only peer cuts this target can make are "every member of a set S is cut from every other
 * member of S, both ways" (cut the inbound proxies of S). Examples for 3 members: a bridge (the two sides
 * are S; the bridge member keeps talking to both) and all members apart (S = everyone). Isolating one member
 * from a connected majority, halves, a majorities ring and one-way cuts are not expressible and are refused.
 * Client links map one to one onto the per-region client proxies.
 */

/** The inner proxy link of a member's inbound peer proxy: from any member to `region`. */
export const inboundPeerLink = (region: string): string => `peer:*->${region}`;

const PEER = /^peer:(.+)->(.+)$/;
const CLIENT = /^client:(.+)$/;

/** The cut as the etcd target will apply it, or why it cannot. */
export type CutPlan =
  | { ok: true; peerPairs: [string, string][]; inbound: string[]; clients: string[] }
  | { ok: false; error: string };

/** Every link name the etcd target answers to (the same vocabulary as other targets). */
export function etcdLinks(regions: readonly string[]): string[] {
  return [
    ...regions.map(clientLink),
    ...regions.flatMap((a) => regions.filter((b) => b !== a).map((b) => peerLink(a, b))),
  ];
}

/**
 * Plans cutting `links` on top of the peer pairs already cut. The resulting set of cut peer pairs must be
 * "all pairs among S"; otherwise nothing is planned and the error names the pairs that would be missing or
 * cut as a side effect.
 */
export function planCut(regions: readonly string[], alreadyCut: readonly [string, string][], links: readonly string[]): CutPlan {
  const known = new Set(regions);
  const pairs = new Map<string, [string, string]>(alreadyCut.map((p) => [`${p[0]}->${p[1]}`, p]));
  const clients: string[] = [];
  for (const link of links) {
    const c = CLIENT.exec(link);
    if (c) {
      if (!known.has(c[1])) return { ok: false, error: `unknown link "${link}": no region "${c[1]}" in [${regions.join(', ')}]` };
      clients.push(c[1]);
      continue;
    }
    const p = PEER.exec(link);
    if (!p || !known.has(p[1]) || !known.has(p[2]) || p[1] === p[2]) {
      return { ok: false, error: `unknown link "${link}" (etcd target links: client:<region>, peer:<from>-><to> over [${regions.join(', ')}])` };
    }
    pairs.set(`${p[1]}->${p[2]}`, [p[1], p[2]]);
  }
  const s = regions.filter((r) => [...pairs.values()].some(([a, b]) => a === r || b === r));
  const missing: string[] = [];
  for (const a of s) for (const b of s) if (a !== b && !pairs.has(`${a}->${b}`)) missing.push(`${a}->${b}`);
  if (missing.length > 0) {
    return {
      ok: false,
      error:
        `the etcd target cannot cut [${[...pairs.keys()].join(', ')}] alone: each member has one inbound peer proxy shared by ` +
        `all other members, so cutting links among [${s.join(', ')}] also cuts [${missing.join(', ')}]. ` +
        'Expressible peer cuts are "every member of a set cut from every other member of it" (e.g. a bridge, or all apart).',
    };
  }
  return { ok: true, peerPairs: [...pairs.values()], inbound: s, clients };
}

/**
 * The partition shapes of net/grudge.ts this target can express with `n` members, for the nemesis schedule's
 * `partitionShapes`. With 2 members, isolating one (= halves) cuts all pairs among both; with 3, a bridge cuts
 * all pairs among its two sides; with more, every side or group that must stay connected holds two members. Cutting
 * clients from a member works with any number.
 */
export function etcdPartitionShapes(n: number): PartitionShape[] {
  if (n === 2) return ['isolate', 'halves', 'client-side'];
  if (n === 3) return ['bridge', 'client-side'];
  return ['client-side'];
}
