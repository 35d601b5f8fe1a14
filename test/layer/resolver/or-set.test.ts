import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, merge, read, type LocalOp, type Stored } from '../../../layer/resolver/index.ts';
import { vcIncrement } from '../../../layer/clock/vclock.ts';
import { canonicalJson } from '../../../layer/resolver/canonical-json.ts';
import { crdtLaws } from './laws.ts';

const elementArb = fc.oneof(fc.constantFrom('x', 'y', 'z', 1), fc.constant({ a: 1, b: 2 }), fc.constant({ b: 2, a: 1 }));
const opArb: fc.Arbitrary<LocalOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), element: elementArb }, { noNullPrototype: true }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), element: elementArb }, { noNullPrototype: true }) },
);

let wall = 0;
function write(region: string, current: Stored | undefined, op: LocalOp): Stored {
  wall++;
  const r = applyLocal('or-set', current, op, {
    region, version: { hlc: { wall, logical: 0 }, region, seq: wall }, vclock: vcIncrement(current?.vclock ?? {}, region),
  });
  assert.ok(r.ok, !r.ok ? r.message : '');
  return r.stored;
}

describe('layer/resolver/or-set', () => {
  crdtLaws('or-set', opArb);

  it('add wins over a concurrent remove, in both merge orders', () => {
    const base = write('us-east', undefined, { op: 'add', element: 'x' });
    const removed = write('us-east', base, { op: 'remove', element: 'x' });
    const readded = write('eu-west', base, { op: 'add', element: 'x' });
    assert.deepEqual(read(removed).value, []);
    assert.deepEqual(read(merge(removed, readded).stored).value, ['x']);
    assert.deepEqual(read(merge(readded, removed).stored).value, ['x']);
  });

  it('a remove that has seen the add removes it everywhere', () => {
    const a = write('us-east', undefined, { op: 'add', element: 'x' });
    const b = write('eu-west', merge(undefined, a).stored, { op: 'remove', element: 'x' });
    assert.deepEqual(read(merge(a, b).stored).value, []);
  });

  it('add-wins holds after any prior history (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('us-east', 'eu-west'), opArb), { maxLength: 15 }), elementArb, (prefix, e) => {
        let s: Stored | undefined;
        for (const [region, op] of prefix) s = write(region, s, op);
        const removed = write('us-east', s, { op: 'remove', element: e });
        const added = write('eu-west', s, { op: 'add', element: e });
        const want = canonicalJson(e);
        for (const merged of [merge(removed, added).stored, merge(added, removed).stored]) {
          assert.ok((read(merged).value as unknown[]).some((x) => canonicalJson(x) === want), `${want} was lost`);
        }
      }),
    );
  });

  it('identifies elements by value, not by key order', () => {
    let s = write('us-east', undefined, { op: 'add', element: { a: 1, b: 2 } });
    s = write('us-east', s, { op: 'add', element: { b: 2, a: 1 } });
    assert.deepEqual(read(s).value, [{ a: 1, b: 2 }]);
    s = write('us-east', s, { op: 'remove', element: { b: 2, a: 1 } });
    assert.deepEqual(read(s).value, []);
  });

  it('uses dots, not timestamps: a remove with a later clock does not beat an unseen add', () => {
    const add = write('eu-west', undefined, { op: 'add', element: 'x' });
    wall += 1_000_000;
    const rm = write('us-east', undefined, { op: 'remove', element: 'x' });
    assert.deepEqual(read(merge(rm, add).stored).value, ['x']);
    assert.deepEqual((merge(rm, add).stored.state as { clock: unknown }).clock, { 'eu-west': 1 }, 'a remove of an unseen element leaves no trace');
  });

  it('refuses a non-JSON element with a reason', () => {
    const r = applyLocal('or-set', undefined, { op: 'add', element: Number.NaN }, {
      region: 'us-east', version: { hlc: { wall: 1, logical: 0 }, region: 'us-east', seq: 1 }, vclock: { 'us-east': 1 } });
    assert.deepEqual(r, { ok: false, error: 'rejected', message: 'element: NaN is not representable in JSON' });
  });
});
