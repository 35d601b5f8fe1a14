import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { bridge, cutLinks, halves, isolate, majoritiesRing, asymmetric, clientSide, partitionOf, PARTITION_SHAPES, minRegions } from '../../../../harness/net/grudge.ts';
import { etcdLinks, etcdPartitionShapes, planCut } from '../../../../harness/targets/etcd/links.ts';

const R = ['a', 'b', 'c'];

describe('targets/etcd/links', () => {
  it('a 3-member bridge is expressible: the two sides\' inbound proxies are cut, the bridge stays open', () => {
    const plan = planCut(R, [], cutLinks(bridge(['b', 'a', 'c'])));
    assert.ok(plan.ok);
    assert.deepEqual([...plan.inbound].sort(), ['a', 'c']);
    assert.deepEqual(plan.clients, []);
  });

  it('all members apart is expressible', () => {
    const all = R.flatMap((x) => R.filter((y) => y !== x).map((y) => `peer:${x}->${y}`));
    const plan = planCut(R, [], all);
    assert.ok(plan.ok);
    assert.deepEqual(plan.inbound, R);
  });

  it('refuses isolation, halves, majorities rings and one-way cuts, naming the links it would also cut', () => {
    for (const p of [isolate(R, 'a'), halves(['a', 'b', 'c']), majoritiesRing(R), asymmetric(R, 'a')]) {
      const plan = planCut(R, [], cutLinks(p));
      assert.equal(plan.ok, false, p.description);
      if (!plan.ok) assert.match(plan.error, /also cuts \[/);
    }
    const iso = planCut(R, [], cutLinks(isolate(R, 'a')));
    assert.ok(!iso.ok && iso.error.includes('b->c') && iso.error.includes('c->b'));
  });

  it('client cuts map one to one', () => {
    const plan = planCut(R, [], cutLinks(clientSide(R, 'b')));
    assert.ok(plan.ok);
    assert.deepEqual(plan.clients, ['b']);
    assert.deepEqual(plan.inbound, []);
  });

  it('judges a cut together with what is already cut', () => {
    const half = planCut(R, [], ['peer:a->b']);
    assert.equal(half.ok, false, 'one direction alone is not expressible');
    const rest = planCut(R, [['a', 'b']], ['peer:b->a']);
    assert.ok(rest.ok);
    assert.deepEqual(rest.inbound, ['a', 'b']);
  });

  it('rejects links it does not know', () => {
    for (const l of ['peer:a->z', 'client:z', 'peer:a->a', 'bogus']) {
      const plan = planCut(R, [], [l]);
      assert.equal(plan.ok, false, l);
      if (!plan.ok) assert.match(plan.error, /unknown link/);
    }
  });

  it('accepts a cut exactly when it is all pairs among the regions it mentions (property)', () => {
    fc.assert(
      fc.property(fc.subarray(etcdLinks(['a', 'b', 'c', 'd']).filter((l) => l.startsWith('peer:'))), (links) => {
        const regions = ['a', 'b', 'c', 'd'];
        const plan = planCut(regions, [], links);
        const mentioned = regions.filter((r) => links.some((l) => l.includes(`:${r}->`) || l.endsWith(`->${r}`)));
        const complete = mentioned.every((x) => mentioned.every((y) => x === y || links.includes(`peer:${x}->${y}`)));
        assert.equal(plan.ok, complete);
        if (plan.ok) assert.deepEqual(plan.inbound, mentioned);
      }),
    );
  });

  it('lists the client link of every region and every directed peer link', () => {
    const links = etcdLinks(R);
    assert.equal(links.length, 3 + 6);
    assert.ok(links.includes('client:a') && links.includes('peer:c->b'));
  });

  it('offers the nemesis exactly the shapes it can express, for every region order', () => {
    for (const n of [2, 3, 4, 5]) {
      const regions = ['a', 'b', 'c', 'd', 'e'].slice(0, n);
      const offered = etcdPartitionShapes(n);
      fc.assert(
        fc.property(fc.shuffledSubarray(regions, { minLength: n, maxLength: n }), (order) => {
          for (const shape of PARTITION_SHAPES) {
            if (n < minRegions(shape)) continue;
            const ok = planCut(regions, [], cutLinks(partitionOf(shape, order))).ok;
            assert.equal(ok, offered.includes(shape), `${shape} with ${n} members, order ${order.join(',')}`);
          }
        }),
        { numRuns: 20 },
      );
    }
  });
});
