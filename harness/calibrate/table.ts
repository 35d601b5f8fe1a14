/**
 * The calibration table: for every bug switch of the layer, the bounded run that must catch it and the checker
 * that does. Runs are named presets, the same workload and fault choices a user would pick to test that part of
 * the layer, so the correct layer is held to the very same runs (no false alarms allowed there).
 */

/** A bounded run: `rift run` arguments without seed, name or store. */
export interface CalibrationPreset {
  args: readonly string[];
  what: string;
}

export interface CalibrationRow {
  bug: string;
  preset: string;
  /** The checker whose verdict must be invalid with the bug on. */
  catches: string;
  why: string;
}

/** A region restarted just before the end is waited for by the runner (`--converge-timeout`), so a short settle will do. */
const BOUNDS = ['--time-limit', '12', '--settle', '2'];

export const PRESETS: Readonly<Record<string, CalibrationPreset>> = {
  'set-one-region-race': {
    args: ['--workload', 'set', '--nemesis', 'none', '--regions', 'us-east', '--concurrency', '10', '--rate', '200', '--key-prefix', 'set/cal-', ...BOUNDS],
    what: 'local write races in one region',
  },
  'set-kill': {
    args: [
      '--workload', 'set', '--regions', 'us-east,eu-west', '--nemesis', 'kill', '--nemesis-interval', '1', '--concurrency', '12', '--rate', '250',
      '--time-limit', '20', '--settle', '2',
    ],
    what: 'crash durability of acknowledged writes: frequent kills of regions that each carry half of a busy load, so a kill lands right after acks',
  },
  'register-clock-skew': {
    args: ['--workload', 'register', '--nemesis', 'clock-skew', '--nemesis-interval', '1.5', '--regions', 'us-east', '--rate', '100', ...BOUNDS],
    what: 'version order when the clock is set back',
  },
  // The layer's own batch size: a batch that fails during a partition then carries the last write of many keys, and a
  // shipper that drops it leaves them behind for good (with batches of 8, later writes healed most: 1/3 seeds).
  'set-partition': {
    args: ['--workload', 'set', '--keys', '100', '--nemesis', 'partition', '--nemesis-interval', '2', '--rate', '100', '--target-option', 'batches=default', ...BOUNDS],
    what: 'replication across partitions, in the layer\'s own batch size',
  },
  'set-replication-race': {
    args: ['--workload', 'set', '--nemesis', 'failpoint-replication', '--nemesis-interval', '1.5', '--concurrency', '12', '--rate', '200', ...BOUNDS],
    what: 'replication applies racing local writes on a few keys, with replication failpoints',
  },
  // 500 keys at 200 ops/s: a key is written about every 2.5 s, so entries a gap skipped seconds before the end stay
  // missing (with 100 keys every key was rewritten, and so repaired, within half a second, and ignore-gap was 1/3).
  'set-replication': {
    args: [
      '--workload', 'set', '--keys', '500', '--nemesis', 'partition,failpoint-replication', '--nemesis-interval', '1.5', '--concurrency', '12',
      '--rate', '200', '--target-option', 'batches=small', ...BOUNDS,
    ],
    what: 'replication catch-up after partitions in small pipelined batches, with replication failpoints; many keys, so a skipped entry is not healed by a later write',
  },
  // One region: every checker of the register workload is a promise there (across regions the hot tier is not
  // linearizable, which the tiers run reports as a measurement and a preset would count as an alarm).
  'hot-register': {
    args: ['--workload', 'register', '--key-prefix', 'hot/cal-', '--keys', '1', '--regions', 'us-east', '--nemesis', 'none', '--concurrency', '12', '--rate', '150', ...BOUNDS],
    what: 'the hot tier\'s read cache against local writes racing reads of one key',
  },
  'critical-partition': {
    args: ['--workload', 'register', '--key-prefix', 'critical/cal-', '--nemesis', 'partition', '--nemesis-interval', '2', '--rate', '60', '--target-option', 'proposers=home', ...BOUNDS],
    what: 'critical tier, one proposer per key, under partitions',
  },
  'critical-register': {
    args: [
      '--workload', 'cas-register', '--key-prefix', 'critical/cal-', '--keys', '2', '--read-ratio', '0.7', '--nemesis', 'partition,failpoint-paxos',
      '--nemesis-interval', '1', '--concurrency', '12', '--rate', '150', '--op-timeout', '5000', '--time-limit', '20', '--settle', '2',
    ],
    what: 'critical tier reads, writes and compare-and-set on two keys from every region (duelling proposers), seven reads in ten so that a value only a minority accepted (an accept cut short by a consensus failpoint or a partition) is read, and read again from another quorum, before the next write hides it',
  },
  'critical-duel': {
    args: [
      '--workload', 'cas-register', '--key-prefix', 'critical/cal-', '--keys', '4', '--nemesis', 'partition-bridge,partition-ring', '--nemesis-interval', '1',
      '--target-option', 'proposers=any', '--concurrency', '16', '--rate', '200', '--op-timeout', '5000', '--check-budget', '120',
      '--time-limit', '15', '--settle', '2',
    ],
    // Contention comes from clients per key, not from run length: a non-linearizable history must be searched
    // exhaustively, and one key with 300 ops and a few dozen indeterminate ones exhausts the checker's memory.
    what: 'critical tier ballot order and promises: compare-and-set from every region at once, four clients per key, with bridge and ring partitions so proposers duel through the regions both sides reach; short per-key histories so a violation is provable',
  },
  'counter-partition': {
    args: ['--workload', 'counter', '--nemesis', 'partition', '--nemesis-interval', '2', ...BOUNDS],
    what: 'PN-counter increments and decrements merged across partitions',
  },
  'or-set-partition': {
    args: ['--workload', 'or-set', '--keys', '1', '--nemesis', 'partition', '--nemesis-interval', '1', '--concurrency', '12', '--rate', '200', ...BOUNDS],
    what: 'OR-set adds and removes of the same elements racing from every region across frequent partitions (add-wins)',
  },
  'mv-register-partition': {
    args: ['--workload', 'mv-register', '--nemesis', 'partition', '--nemesis-interval', '1.5', ...BOUNDS],
    what: 'concurrent writes to multi-value registers kept as siblings across partitions',
  },
  'lww-register-clock-tie': {
    args: [
      '--workload', 'lww-register', '--regions', 'us-east,eu-west', '--nemesis', 'clock-tie', '--nemesis-interval', '1', '--keys', '1',
      '--rate', '200', '--concurrency', '12', ...BOUNDS,
    ],
    what: 'last-writer-wins tie-breaks when two regions hand out equal timestamps',
  },
  'session-partition': {
    args: ['--workload', 'session', '--nemesis', 'partition', '--nemesis-interval', '2', ...BOUNDS],
    what: 'roaming sessions across partitioned regions',
  },
  'session-partition-skew': {
    args: ['--workload', 'session', '--nemesis', 'partition,clock-skew', '--nemesis-interval', '1.5', ...BOUNDS],
    what: 'roaming sessions across partitions with clocks skewed',
  },
  'map-partition': {
    args: ['--workload', 'map', '--nemesis', 'partition', '--nemesis-interval', '1.5', '--concurrency', '12', '--rate', '200', ...BOUNDS],
    what: 'maps with a counter field and a set field updated from every region across partitions, each field judged by its own type',
  },
  'set-isolate': {
    args: ['--workload', 'set', '--nemesis', 'partition-isolate', '--nemesis-interval', '4', ...BOUNDS],
    what: 'a region at a time cut off from every other for seconds, while every region takes adds (degraded mode)',
  },
  'write-once-partition': {
    args: ['--workload', 'write-once', '--nemesis', 'partition', '--nemesis-interval', '1.5', '--concurrency', '12', '--rate', '150', ...BOUNDS],
    what: 'write-once keys raced for from every region across partitions: refusals, the earliest write kept everywhere, conflicts flagged',
  },
  'set-one-region-many-adds': {
    args: ['--workload', 'set', '--nemesis', 'none', '--regions', 'us-east', '--concurrency', '12', '--rate', '400', '--read-ratio', '0.1', '--key-prefix', 'set/dots-', ...BOUNDS],
    what: 'thousands of adds in one region, so its coordinator reserves several blocks of dots',
  },
  'txn-partition': {
    args: ['--workload', 'list-append', '--nemesis', 'partition,latency-wan-fast', '--nemesis-interval', '1.5', '--concurrency', '12', '--rate', '150', ...BOUNDS],
    what: 'list-append transactions from every region while partitions and WAN latency hold replication back (Elle, strict serializable)',
  },
};

export const TABLE: readonly CalibrationRow[] = [
  { bug: 'skip-version-check', preset: 'set-one-region-race', catches: 'set', why: 'concurrent adds in one region overwrite each other: acknowledged elements are lost' },
  { bug: 'ack-before-write', preset: 'set-kill', catches: 'set', why: 'a killed region loses adds it acknowledged but had not written' },
  { bug: 'wall-clock-lww', preset: 'register-clock-skew', catches: 'linearizable', why: 'after the clock is set back, newer writes lose to older ones: reads go back in time' },
  { bug: 'drop-batch-on-retry', preset: 'set-partition', catches: 'convergence', why: 'batches that failed during a partition are never resent: keys not written again stay behind for good' },
  { bug: 'stale-critical-reads', preset: 'critical-partition', catches: 'linearizable', why: 'critical reads served from the local acceptor miss writes decided by the majority' },
  { bug: 'acceptor-forgets-promise', preset: 'critical-duel', catches: 'linearizable', why: 'a duelling proposer\'s older accept passes after a newer prepare: a read writes back a value older than an acknowledged write' },
  { bug: 'read-skips-accept', preset: 'critical-register', catches: 'linearizable', why: 'a read returns a value only a minority accepted (an accept cut short by a failpoint or partition); a later read misses it' },
  { bug: 'ballot-round-only', preset: 'critical-duel', catches: 'linearizable', why: 'two proposers with the same round both win prepare and accept: two compare-and-sets succeed on the same old value' },
  { bug: 'checkpoint-before-apply', preset: 'set-replication', catches: 'convergence', why: 'the applied mark moves before the entries are written; a race with a local write or a dropped write skips them for good' },
  { bug: 'ignore-gap', preset: 'set-replication', catches: 'convergence', why: 'a batch that overtakes its predecessor is applied, the mark jumps, and the predecessor\'s entries are skipped' },
  { bug: 'apply-without-version-check', preset: 'set-replication-race', catches: 'set', why: 'a replicated merge computed before a local add overwrites it: the add is lost in its own region' },
  { bug: 'hlc-reset-on-skew', preset: 'register-clock-skew', catches: 'linearizable', why: 'a clock re-sync restarts the HLC, so versions go backwards and newer writes lose' },
  { bug: 'counter-merge-sum', preset: 'counter-partition', catches: 'counter', why: 'merging adds per-region totals instead of taking the max: replicated increments are counted again' },
  { bug: 'or-set-remove-wins', preset: 'or-set-partition', catches: 'or-set', why: 'a remove erases a concurrent add it never saw: an element with an uncovered add is missing' },
  { bug: 'mv-register-drops-sibling', preset: 'mv-register-partition', catches: 'mv-register', why: 'of two concurrent writes only the later survives a merge: a sibling is lost after a partition heals' },
  { bug: 'tie-break-local', preset: 'lww-register-clock-tie', catches: 'register-versions', why: 'writes with equal timestamps are won by whichever region holds them: a region shows a value that lost by version' },
  { bug: 'session-read-no-wait', preset: 'session-partition', catches: 'session-guarantees', why: 'a region serves a read before it has what the session saw: read-your-writes and monotonic reads break' },
  { bug: 'session-write-no-wait', preset: 'session-partition-skew', catches: 'session-guarantees', why: 'a region takes a write before it has what the session saw: its version or its visibility falls behind (monotonic writes)' },
  { bug: 'map-merge-replaces-field', preset: 'map-partition', catches: 'map', why: 'a field both sides updated takes the incoming side\'s state: the receiving region\'s increments and adds to it are lost' },
  { bug: 'hot-cache-kept-on-write', preset: 'hot-register', catches: 'hot-staleness', why: 'a local write leaves the cached entry in place: reads after its ack show the value cached before it' },
  { bug: 'quorum-off-by-one', preset: 'set-isolate', catches: 'degraded-markers', why: 'a region cut off from both others believes it has quorum: the writes it takes meanwhile carry no conflict marker' },
  { bug: 'write-once-keeps-latest', preset: 'write-once-partition', catches: 'write-once', why: 'of two first writes accepted on either side of a partition the later is kept: a region moves to a later version than the one it accepted' },
  { bug: 'dot-block-overlap', preset: 'set-one-region-many-adds', catches: 'version-order', why: 'the first dot of each newly reserved block is the last of the block before: two acknowledged writes report one dot with two clocks' },
  { bug: 'txn-read-local', preset: 'txn-partition', catches: 'elle-list-append', why: 'a read-only transaction served by a lagging replica misses appends committed before it began: a real-time cycle' },
];

/** The presets the table uses, each once, in table order. */
export function presetsInUse(rows: readonly CalibrationRow[] = TABLE): string[] {
  return [...new Set(rows.map((r) => r.preset))];
}

/** Every row names a known preset, and every preset is used: checked by the calibration test and the command. */
export function validateTable(rows: readonly CalibrationRow[] = TABLE): void {
  for (const r of rows) if (!PRESETS[r.preset]) throw new Error(`calibration row ${r.bug}: unknown preset "${r.preset}"`);
  const dup = rows.map((r) => r.bug).find((b, i, all) => all.indexOf(b) !== i);
  if (dup) throw new Error(`calibration table lists ${dup} twice`);
}
