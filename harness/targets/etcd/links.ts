import { clientLink, peerLink } from '../../core/target.ts';
import { PARTITION_SHAPES, type PartitionShape } from '../../net/grudge.ts';

/**
 * Which of the fault network's directed links an etcd cluster can actually cut.
 *
 * Every ordered pair of members has its own proxy (members.ts): the proxy for `peer:a->b` carries the connections
 * member a dials to member b. etcd's peer transport (rafthttp) carries both directions between two members over
 * connections dialled either way: a member's stream reader dials the peer and receives that peer's messages over
 * it, and when no stream is attached a member POSTs its messages to the peer (the pipeline). So cutting the proxy
 * a→b alone stops neither direction for good (they move to the connections b dials), and cutting both a→b and b→a
 * stops both. The peer cuts this target makes are therefore symmetric: every shape built of two-way cuts
 * (isolating a member, halves, bridges) is expressible; a one-way cut is refused.
 *
 * Latency and bandwidth on `peer:a->b` apply to both directions of the connections a dials to b. The nemesis sets
 * them for both directions of a pair with the same figures, so each message between a and b is delayed once by
 * the one-way figure, whichever connection carries it.
 */

const PEER = /^peer:(.+)->(.+)$/;
const CLIENT = /^client:(.+)$/;

/** Every link name the etcd target answers to (the same vocabulary as other targets). */
export function etcdLinks(regions: readonly string[]): string[] {
  return [
    ...regions.map(clientLink),
    ...regions.flatMap((a) => regions.filter((b) => b !== a).map((b) => peerLink(a, b))),
  ];
}

/**
 * Checks a cut on top of the links already cut: known links only, and every peer link cut together with its
 * reverse (now or before). Returns why not, or undefined when the cut can be made as asked.
 */
export function refuseCut(regions: readonly string[], alreadyCut: readonly string[], links: readonly string[]): string | undefined {
  const known = new Set(etcdLinks(regions));
  const unknown = links.filter((l) => !known.has(l));
  if (unknown.length) {
    return `unknown link${unknown.length > 1 ? 's' : ''} ${unknown.map((l) => `"${l}"`).join(', ')} (etcd target links: client:<region>, peer:<from>-><to> over [${regions.join(', ')}])`;
  }
  const cut = new Set([...alreadyCut, ...links]);
  const oneWay = links.filter((l) => CLIENT.exec(l) === null).filter((l) => {
    const [, a, b] = PEER.exec(l)!;
    return !cut.has(peerLink(b, a));
  });
  if (oneWay.length === 0) return undefined;
  return (
    `the etcd target cannot cut ${oneWay.join(', ')} one way: etcd members exchange messages in both directions over ` +
    'connections dialled by either side, so a peer link is cut only together with its reverse ' +
    `(missing: ${oneWay.map((l) => { const [, a, b] = PEER.exec(l)!; return peerLink(b, a); }).join(', ')})`
  );
}

/** The partition shapes of net/grudge.ts this target can express: those whose cuts are all two-way. */
export function etcdPartitionShapes(): PartitionShape[] {
  // A majorities ring in grudge.ts is a directed ring of grudges, so it is one-way too.
  return PARTITION_SHAPES.filter((s) => s !== 'asymmetric' && s !== 'majorities-ring');
}
