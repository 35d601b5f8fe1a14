import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { cutLinks, partitionOf, PARTITION_SHAPES, minRegions, asymmetric, clientSide, isolate } from '../../../../harness/net/grudge.ts';
import { etcdLinks, etcdPartitionShapes, refuseCut } from '../../../../harness/targets/etcd/links.ts';

const R = ['a', 'b', 'c'];

describe('targets/etcd/links', () => {
  it('isolating a member cuts both directions of its pairs, and is expressible', () => {
    assert.equal(refuseCut(R, [], cutLinks(isolate(R, 'a'))), undefined);
  });

  it('refuses a one-way cut, naming the reverse link it would need', () => {
    const why = refuseCut(R, [], cutLinks(asymmetric(R, 'a')));
    assert.match(why ?? '', /cannot cut .* one way/);
    assert.equal(refuseCut(R, [], ['peer:a->b']), 'the etcd target cannot cut peer:a->b one way: etcd members exchange messages in both directions over connections dialled by either side, so a peer link is cut only together with its reverse (missing: peer:b->a)');
  });

  it('judges a cut together with what is already cut', () => {
    assert.equal(refuseCut(R, ['peer:a->b'], ['peer:b->a']), undefined);
    assert.match(refuseCut(R, ['peer:a->c'], ['peer:b->a']) ?? '', /missing: peer:a->b\)/);
  });

  it('client cuts need no reverse', () => {
    assert.equal(refuseCut(R, [], cutLinks(clientSide(R, 'b'))), undefined);
  });

  it('rejects links it does not know', () => {
    for (const l of ['peer:a->z', 'client:z', 'peer:a->a', 'bogus']) assert.match(refuseCut(R, [], [l]) ?? '', /unknown link "/, l);
  });

  it('accepts a set of peer links exactly when it is closed under reversal (property)', () => {
    const regions = ['a', 'b', 'c', 'd'];
    fc.assert(
      fc.property(fc.subarray(etcdLinks(regions).filter((l) => l.startsWith('peer:'))), (links) => {
        const closed = links.every((l) => { const [a, b] = l.slice(5).split('->'); return links.includes(`peer:${b}->${a}`); });
        assert.equal(refuseCut(regions, [], links) === undefined, closed);
      }),
    );
  });

  it('lists the client link of every region and every directed peer link', () => {
    const links = etcdLinks(R);
    assert.equal(links.length, 3 + 6);
    assert.ok(links.includes('client:a') && links.includes('peer:c->b'));
  });

  it('offers the nemesis exactly the shapes it can express, for every size and region order', () => {
    const offered = etcdPartitionShapes();
    for (const n of [2, 3, 4, 5]) {
      const regions = ['a', 'b', 'c', 'd', 'e'].slice(0, n);
      fc.assert(
        fc.property(fc.shuffledSubarray(regions, { minLength: n, maxLength: n }), (order) => {
          for (const shape of PARTITION_SHAPES) {
            if (n < minRegions(shape)) continue;
            const ok = refuseCut(regions, [], cutLinks(partitionOf(shape, order))) === undefined;
            assert.equal(ok, offered.includes(shape), `${shape} with ${n} members, order ${order.join(',')}`);
          }
        }),
        { numRuns: 20 },
      );
    }
  });
});
