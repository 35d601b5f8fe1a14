/**
 * What each target promises, per tier of keys, as the checkers that prove each property. A checker a run uses
 * that proves none of the promises of the keys it judges is a measurement: reported, never turning a run red.
 * The layer's promises are those layer/README.md states ("Promises per tier"); etcd's are its documented
 * guarantees for the way Rift drives it; Redis replication promises nothing beyond eventual convergence.
 */

/** A property and the checker (by its unscoped name) that proves it. */
export interface Promise {
  readonly property: string;
  readonly checker: string;
}

export type Tier = 'critical' | 'normal' | 'hot' | 'all';

const CONVERGENCE: Promise = { property: 'convergence (regions agree on a state the writes explain)', checker: 'convergence' };
const VERSION_ORDER: Promise = { property: 'versions a region issues only increase, whatever its clock does (hybrid logical clock), and each names one write', checker: 'version-order' };
const DEGRADED: Promise = { property: 'degraded mode: a region cut off from a majority keeps accepting writes, each with a conflict marker', checker: 'degraded-markers' };
const TXNS: Promise[] = [
  { property: 'strict serializable transactions', checker: 'elle-list-append' },
  { property: 'strict serializable transactions', checker: 'elle-rw-register' },
];

const LOCAL: Readonly<Record<'critical' | 'normal' | 'hot', readonly Promise[]>> = {
  critical: [{ property: 'linearizable', checker: 'linearizable' }],
  normal: [
    CONVERGENCE,
    VERSION_ORDER,
    DEGRADED,
    { property: 'session guarantees (RYW, MR, MW, WFR)', checker: 'session-guarantees' },
    { property: 'causal consistency', checker: 'causal' },
    { property: 'acknowledged adds kept, add-wins set', checker: 'set' },
    { property: 'PN-counter: every acknowledged increment counted once', checker: 'counter' },
    { property: 'add-wins OR-set: an element is present iff some add of it is covered by no remove', checker: 'or-set' },
    { property: 'multi-value register: exactly the concurrent writes survive as siblings', checker: 'mv-register' },
    { property: 'siblings: exactly the concurrent writes survive, and a read presents the latest of them', checker: 'siblings' },
    { property: 'write-once keys: a region refuses a key it holds; the earliest acknowledged write is kept everywhere, flagged as a conflict when others were accepted', checker: 'write-once' },
    { property: 'map of CRDTs: every field keeps its own type\'s promise (counter fields count each acknowledged increment once, set fields keep every acknowledged add)', checker: 'map' },
    { property: 'last-writer-wins by version: every region shows the write of the version it reports', checker: 'register-versions' },
    ...TXNS,
  ],
  hot: [CONVERGENCE, VERSION_ORDER, DEGRADED, { property: 'the cache never serves a read less than its region acknowledged before the read began', checker: 'hot-staleness' }],
};

/** Targets whose system is the layer: `external` drives a layer deployment Rift did not start. */
const LAYER_TARGETS: ReadonlySet<string> = new Set(['local', 'external']);
const layer = (tier: Tier): readonly Promise[] => (tier === 'all' ? [] : LOCAL[tier]);

const TARGETS: Readonly<Record<string, (tier: Tier) => readonly Promise[]>> = {
  local: layer,
  external: layer,
  etcd: () => [{ property: 'linearizable', checker: 'linearizable' }, ...TXNS],
  'redis-replication': () => [CONVERGENCE],
};

/** The layer's tier of a key, by its namespace (layer/README.md); other targets have one tier for all keys. */
export function tierOf(target: string, key: string): Tier {
  if (!LAYER_TARGETS.has(target)) return 'all';
  if (key.startsWith('critical/')) return 'critical';
  if (key.startsWith('hot/')) return 'hot';
  return 'normal';
}

/**
 * Promises that hold for every tier among `tiers`: a checker judging keys of several tiers proves only what all of
 * them promise. No keys at all: the target's default tier.
 */
export function promisesFor(target: string, tiers: ReadonlySet<Tier>): Promise[] {
  const of = TARGETS[target];
  if (!of) return [];
  const ts = tiers.size ? [...tiers] : [LAYER_TARGETS.has(target) ? 'normal' as const : 'all' as const];
  const [first, ...rest] = ts.map((t) => of(t));
  return first.filter((p) => rest.every((ps) => ps.some((q) => q.checker === p.checker)));
}
