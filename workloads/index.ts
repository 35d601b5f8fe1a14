import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { registerWorkload } from './register.ts';
import { casRegisterWorkload } from './cas-register.ts';
import { listAppendWorkload } from './list-append.ts';
import { rwRegisterWorkload } from './rw-register.ts';
import { counterWorkload } from './counter.ts';
import { setWorkload } from './set.ts';
import { sessionWorkload } from './session.ts';
import { compositeWorkload, type Part } from './composite.ts';
import { orSetWorkload } from './or-set.ts';
import { mvRegisterWorkload } from './mv-register.ts';
import { lwwRegisterWorkload, lwwWorkload } from './lww-register.ts';
import { mapWorkload } from './map.ts';
import { siblingsWorkload } from './siblings.ts';
import { writeOnceWorkload } from './write-once.ts';

const single: Readonly<Record<string, (opts: WorkloadOptions) => Workload>> = {
  register: registerWorkload,
  'cas-register': casRegisterWorkload,
  'list-append': listAppendWorkload,
  'rw-register': rwRegisterWorkload,
  counter: counterWorkload,
  set: setWorkload,
  session: sessionWorkload,
  'or-set': orSetWorkload,
  'mv-register': mvRegisterWorkload,
  'lww-register': lwwRegisterWorkload,
  lww: lwwWorkload,
  map: mapWorkload,
  siblings: siblingsWorkload,
  'write-once': writeOnceWorkload,
};

/**
 * The local target's default: every tier of the layer at once, each part held to its tier's promises. Parts run the
 * registered workloads, so an improved set, counter or session workload is what the default run exercises.
 */
export const TIERS_PARTS: readonly Part[] = [
  // Compare-and-set and a read-heavy mix on the critical tier: a ballot that lets two proposers win, or a read that
  // skips the accept phase, shows only when cas and reads race across regions. A value a failpoint left with a
  // minority is completed or overwritten by the key's next write, so the reads between two writes are what can
  // show it to one side and not the other (at weight 3 and 70% reads a default run with such values slipped through;
  // at 80% reads too few cas raced for an acceptor that forgot its promise).
  { part: 'critical', workload: 'cas-register', keyPrefix: 'critical/register/', weight: 5, keyCount: 2, readRatio: 0.75 },
  { part: 'register', workload: 'register', keyPrefix: 'register/', weight: 3 },
  // One key, read mostly, in every region: a read that fills the cache, a local write and a read that should see it
  // fall within one cache lifetime (250 ms) often enough to show a write that left a stale entry behind.
  { part: 'hot', workload: 'register', keyPrefix: 'hot/register/', weight: 3, keyCount: 1, readRatio: 0.7 },
  { part: 'set', workload: 'set', keyPrefix: 'set/', weight: 2 },
  // Many keys, each written seldom: an entry replication skipped (a batch applied past a gap, one never resent) stays
  // missing, where on the few hot keys of the other parts the next write's whole state repairs it within milliseconds.
  { part: 'set-wide', workload: 'set', keyPrefix: 'set/wide-', weight: 2, keyCount: 100 },
  { part: 'counter', workload: 'counter', keyPrefix: 'counter/', weight: 2 },
  // One set key and one register key: a roaming session breaks monotonic writes only when it writes a key again in a
  // region that has not yet received its last write of that key, which over three keys of each came 3-6 times a
  // minute (a default run with session-write-no-wait passed once).
  { part: 'session', workload: 'session', weight: 2, keyCount: 1 },
  // Twice the weight of most parts: a lost add shows only when a remove and an add of one element race across
  // regions, which grows with the square of this part's rate (at weight 2, a minute brought 7–9 such races).
  { part: 'or-set', workload: 'or-set', keyPrefix: 'set/or-', weight: 4, keyCount: 1 },
  { part: 'mv-register', workload: 'mv-register', keyPrefix: 'mvreg/', weight: 2 },
  // A counter field and a set field per key: a map merge joins them field by field, a path of its own.
  { part: 'map', workload: 'map', keyPrefix: 'map/', weight: 2 },
  // Riak-style siblings: the multi-value register's merge behind another read path (one value plus the siblings).
  { part: 'siblings', workload: 'siblings', keyPrefix: 'siblings/', weight: 1 },
  // Write-once keys, raced for from every region a key at a time: refusals, and the earliest write kept everywhere.
  { part: 'write-once', workload: 'write-once', keyPrefix: 'reject/', weight: 2 },
  // Transactions, which run in one home region: a path no other part takes (forwarding, one snapshot per transaction).
  { part: 'txn', workload: 'list-append', keyPrefix: 'txn/la-', weight: 2 },
  // A pair of writes from two regions per key in turn, then only reads: under a forced clock tie the pair carries
  // equal timestamps, and a tie-break regions disagree on stays visible. Many keys, so the final reads still find the
  // disagreements of the run's last few hundred turns. Plain last-writer-wins keys, so a third of the pairs race a
  // value and a delete: tombstones are written, merged, replicated and read by no other part.
  { part: 'lww', workload: 'lww', keyPrefix: 'lww/', weight: 5, keyCount: 200, readRatio: 0.67 },
];

/** Every workload by the name `rift run --workload NAME` takes. */
export const workloads: Readonly<Record<string, (opts: WorkloadOptions) => Workload>> = {
  ...single,
  // A region's versions rise across all its keys: judged over every part at once, a write right after its clock went
  // back is compared with the region's last write of any key, not only of its own part. Degraded mode is a region's
  // state too, so its markers are judged over every part at once.
  tiers: (o) => compositeWorkload('tiers', TIERS_PARTS, single, o, new Set(['version-order', 'degraded-markers'])),
};

