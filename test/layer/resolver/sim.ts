/**
 * Test support: three regions applying random writes to one key and shipping whole states to each
 * other in a random order, with duplicates, through JSON (as Redis and HTTP would), with skewed
 * physical clocks. Records every accepted write so oracles can compute the expected outcome.
 */
import fc from 'fast-check';
import { HlcClock } from '../../../layer/clock/hlc.ts';
import { vcIncrement, type VClock } from '../../../layer/clock/vclock.ts';
import type { Version } from '../../../layer/clock/version.ts';
import { applyLocal, merge, parseStored, type LocalOp, type Strategy, type Stored } from '../../../layer/resolver/index.ts';

export const REGIONS = ['us-east', 'eu-west', 'ap-south'] as const;

export type Action =
  | { kind: 'write'; region: number; op: LocalOp }
  | { kind: 'deliver'; pick: number; keep: boolean }
  | { kind: 'tick'; region: number; ms: number };

export interface Write {
  region: string;
  op: LocalOp;
  version: Version;
  vclock: VClock;
}

export interface SimResult {
  finals: Stored[];
  /** Every state a region shipped (snapshot after each accepted write). */
  snapshots: Stored[];
  writes: Write[];
}

/** What crosses the wire: JSON text, parsed and validated on the other side. */
export function wire(s: Stored): Stored {
  return parseStored(JSON.parse(JSON.stringify(s)), 'wire');
}

export function simulate(strategy: Strategy, actions: Action[], skews: number[], finalOrder: number[]): SimResult {
  const phys = REGIONS.map((_, i) => 1_000_000 + skews[i]);
  const clocks = REGIONS.map((_, i) => new HlcClock(() => phys[i], Number.MAX_SAFE_INTEGER));
  const seqs = REGIONS.map(() => 0);
  const stores: (Stored | undefined)[] = REGIONS.map(() => undefined);
  const pending: { to: number; s: Stored }[] = [];
  const snapshots: Stored[] = [];
  const writes: Write[] = [];

  const receive = (to: number, s: Stored) => {
    clocks[to].update(s.version.hlc);
    stores[to] = wire(merge(stores[to], wire(s)).stored);
  };

  for (const a of actions) {
    if (a.kind === 'tick') {
      phys[a.region] += a.ms;
    } else if (a.kind === 'deliver') {
      if (pending.length === 0) continue;
      const i = a.pick % pending.length;
      const m = pending[i];
      if (!a.keep) pending.splice(i, 1);
      receive(m.to, m.s);
    } else {
      const region = REGIONS[a.region];
      const current = stores[a.region];
      const version = { hlc: clocks[a.region].now(), region, seq: seqs[a.region] + 1 };
      const vclock = vcIncrement(current?.vclock ?? {}, region);
      const r = applyLocal(strategy, current, a.op, { region, version, vclock });
      if (!r.ok) continue;
      seqs[a.region]++;
      writes.push({ region, op: a.op, version, vclock });
      stores[a.region] = wire(r.stored);
      snapshots.push(r.stored);
      for (let to = 0; to < REGIONS.length; to++) if (to !== a.region) pending.push({ to, s: r.stored });
    }
  }
  // Quiescence: every shipped state reaches every region, in an arbitrary order.
  const all = snapshots.flatMap((s) => REGIONS.map((_, to) => ({ to, s })));
  const order = all.map((m, i) => ({ m, k: finalOrder[i % Math.max(1, finalOrder.length)] ?? 0, i }));
  order.sort((x, y) => x.k - y.k || x.i - y.i);
  for (const { m } of order) receive(m.to, m.s);
  return { finals: stores.filter((s): s is Stored => s !== undefined), snapshots, writes };
}

export function actionsArb(opArb: fc.Arbitrary<LocalOp>, maxLength = 60): fc.Arbitrary<Action[]> {
  const region = fc.nat({ max: REGIONS.length - 1 });
  return fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), region, op: opArb }, { noNullPrototype: true }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), keep: fc.boolean() }, { noNullPrototype: true }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), region, ms: fc.integer({ min: 0, max: 50 }) }, { noNullPrototype: true }) },
    ),
    // 'max' so runs are long enough for real concurrency; shrinking still finds short counterexamples
    { maxLength, size: 'max' },
  );
}

export const skewsArb = fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 3, maxLength: 3 });
export const finalOrderArb = fc.array(fc.nat({ max: 1000 }), { maxLength: 30 });

export const canon = (s: Stored | undefined) => JSON.stringify(s);
