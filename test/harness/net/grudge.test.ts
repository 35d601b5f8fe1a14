import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  asymmetric, betweenGroups, bridge, clientSide, cutLinks, halves, hears, isolate, majoritiesRing, minRegions, partitionFromGroups, partitionOf,
  PARTITION_SHAPES, type Partition,
} from '../../../harness/net/grudge.ts';

/** Distinct region names in a random order. */
const regionsArb = (min: number, max = 9) =>
  fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}-[a-z]{1,4}$/), { minLength: min, maxLength: max });

const majority = (n: number) => Math.floor(n / 2) + 1;
const key = ([a, b]: [string, string]) => `${a}->${b}`;

function assertWellFormed(p: Partition, regions: string[]): void {
  for (const [a, b] of p.cuts) {
    assert.notEqual(a, b, 'a region never cuts itself');
    assert.ok(regions.includes(a) && regions.includes(b));
  }
  assert.equal(new Set(p.cuts.map(key)).size, p.cuts.length, 'no duplicate cuts');
}

describe('net/grudge', () => {
  it('isolate cuts exactly the links between the region and the rest, both ways', () => {
    fc.assert(
      fc.property(regionsArb(2), fc.nat(), (regions, i) => {
        const one = regions[i % regions.length];
        const p = isolate(regions, one);
        assertWellFormed(p, regions);
        assert.equal(p.cuts.length, 2 * (regions.length - 1));
        for (const r of regions) {
          if (r === one) assert.deepEqual(hears(p, regions, r), [one]);
          else assert.deepEqual(hears(p, regions, r), regions.filter((x) => x !== one));
        }
      }),
    );
  });

  it('halves: the first side is a minority, the second a bare majority (equal halves for even n); the sides cannot talk', () => {
    fc.assert(
      fc.property(regionsArb(2), (regions) => {
        const p = halves(regions);
        assertWellFormed(p, regions);
        const [minority, maj] = p.groups;
        assert.equal(minority.length + maj.length, regions.length);
        assert.ok(minority.length < majority(regions.length), 'the first side never holds a majority');
        if (regions.length % 2 === 1) assert.equal(maj.length, majority(regions.length));
        else assert.equal(maj.length, minority.length);
        for (const r of minority) assert.deepEqual(hears(p, regions, r).sort(), [...minority].sort());
        for (const r of maj) assert.deepEqual(hears(p, regions, r).sort(), [...maj].sort());
      }),
    );
  });

  it('a bridge node hears everyone; the two sides do not hear each other', () => {
    fc.assert(
      fc.property(regionsArb(3), (regions) => {
        const p = bridge(regions);
        assertWellFormed(p, regions);
        const b = regions[0];
        assert.deepEqual(hears(p, regions, b), regions);
        const [left, right] = p.groups.map((g) => g.filter((r) => r !== b));
        assert.ok(left.length > 0 && right.length > 0);
        for (const l of left) for (const r of right) {
          assert.ok(!hears(p, regions, l).includes(r));
          assert.ok(!hears(p, regions, r).includes(l));
        }
        for (const x of [...left, ...right]) assert.ok(hears(p, regions, x).includes(b));
      }),
    );
  });

  it('in a majorities ring every region hears a majority, but they do not all hear the same one', () => {
    fc.assert(
      fc.property(regionsArb(3), (regions) => {
        const p = majoritiesRing(regions);
        assertWellFormed(p, regions);
        const views = regions.map((r) => hears(p, regions, r).sort().join(','));
        for (const r of regions) {
          const h = hears(p, regions, r);
          assert.equal(h.length, majority(regions.length), `${r} hears ${h}`);
          assert.ok(h.includes(r));
        }
        assert.ok(new Set(views).size > 1, 'views differ');
        assert.ok(p.cuts.length > 0);
      }),
    );
  });

  it('asymmetric cuts only the outgoing direction of one region', () => {
    fc.assert(
      fc.property(regionsArb(2), fc.nat(), (regions, i) => {
        const one = regions[i % regions.length];
        const p = asymmetric(regions, one);
        assertWellFormed(p, regions);
        assert.deepEqual(hears(p, regions, one), regions, 'it still hears everyone');
        for (const r of regions) if (r !== one) assert.ok(!hears(p, regions, r).includes(one));
        assert.ok(p.cuts.every(([from]) => from === one));
      }),
    );
  });

  it('client-side cuts only the client link of one region', () => {
    const p = clientSide(['us-east', 'eu-west'], 'eu-west');
    assert.deepEqual(p.cuts, []);
    assert.deepEqual(cutLinks(p), ['client:eu-west']);
  });

  it('maps cuts onto directed peer link names', () => {
    const p = isolate(['us-east', 'eu-west', 'ap-south'], 'us-east');
    assert.deepEqual(cutLinks(p).sort(), [
      'peer:ap-south->us-east', 'peer:eu-west->us-east', 'peer:us-east->ap-south', 'peer:us-east->eu-west',
    ]);
    assert.deepEqual(p.groups, [['us-east'], ['eu-west', 'ap-south']]);
  });

  it('every shape builds from any order of enough regions, and the cuts are symmetric exactly where the shape is', () => {
    fc.assert(
      fc.property(regionsArb(1), fc.constantFrom(...PARTITION_SHAPES), (regions, shape) => {
        if (regions.length < minRegions(shape)) {
          assert.throws(() => partitionOf(shape, regions), /needs at least/);
          return;
        }
        const p = partitionOf(shape, regions);
        assertWellFormed(p, regions);
        const set = new Set(p.cuts.map(key));
        const symmetric = p.cuts.every(([a, b]) => set.has(`${b}->${a}`));
        if (shape === 'isolate' || shape === 'halves' || shape === 'bridge') assert.ok(symmetric);
        if (shape === 'asymmetric') assert.ok(!symmetric);
      }),
    );
  });

  it('rejects unknown and duplicate regions with a clear message', () => {
    assert.throws(() => isolate(['a', 'b'], 'c'), /isolate: "c" is not one of the regions \[a, b\]/);
    assert.throws(() => halves(['a', 'a']), /regions must be distinct/);
    assert.deepEqual(betweenGroups([['a'], ['b']]), [['a', 'b'], ['b', 'a']]);
  });
});

describe('net/grudge partitionFromGroups', () => {
  it('rebuilds every shape from its recorded groups', () => {
    fc.assert(
      fc.property(regionsArb(1, 7), fc.constantFrom(...PARTITION_SHAPES), (regions, shape) => {
        if (regions.length < minRegions(shape)) return;
        const p = partitionOf(shape, regions);
        const back = partitionFromGroups(shape, JSON.parse(JSON.stringify(p.groups)), regions);
        assert.deepEqual(new Set(back.cuts.map(key)), new Set(p.cuts.map(key)));
        assert.deepEqual(back.clientCuts, p.clientCuts);
      }),
    );
  });

  it('explains groups that do not fit the shape or the regions', () => {
    const regions = ['a', 'b', 'c'];
    assert.throws(() => partitionFromGroups('isolate', [['a'], ['a', 'b']], regions), /needs two disjoint groups/);
    assert.throws(() => partitionFromGroups('isolate', [['a'], ['z']], regions), /"z" is not one of the regions/);
    assert.throws(() => partitionFromGroups('bridge', [['a', 'b'], ['c']], regions), /share exactly one/);
    assert.throws(() => partitionFromGroups('majorities-ring', [['a', 'c'], ['b', 'a'], ['c', 'b']], regions), /do not form a majorities ring/);
    assert.throws(() => partitionFromGroups('zigzag' as 'isolate', [['a']], regions), /unknown shape/);
  });
});
