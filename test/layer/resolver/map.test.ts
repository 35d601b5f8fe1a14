import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyLocal, merge, read, type LocalOp, type Stored, type Strategy } from '../../../layer/resolver/index.ts';
import { vcIncrement } from '../../../layer/clock/vclock.ts';
import { crdtLaws } from './laws.ts';

const update = (field: string, innerStrategy: Strategy, inner: LocalOp): LocalOp => ({ op: 'map-update', field, innerStrategy, inner });
const value = fc.nat({ max: 9 });
// One type per field name here, so the oracle can check each field against its own strategy.
const opArb: fc.Arbitrary<LocalOp> = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((delta) => update('hits', 'pn-counter', { op: 'incr', delta })),
  fc.tuple(fc.boolean(), fc.constantFrom('x', 'y')).map(([add, element]) => update('tags', 'or-set', add ? { op: 'add', element } : { op: 'remove', element })),
  fc.option(value).map((v) => update('name', 'lww', v === null ? { op: 'delete' } : { op: 'put', value: v })),
  value.map((v) => update('draft', 'mv-register', { op: 'put', value: v })),
  value.map((v) => update('sub', 'map', update('deep', 'lww-register', { op: 'put', value: v }))),
);

let wall = 0;
function write(region: string, current: Stored | undefined, op: LocalOp): ReturnType<typeof applyLocal> {
  wall++;
  return applyLocal('map', current, op, {
    region, version: { hlc: { wall, logical: 0 }, region, seq: wall }, vclock: vcIncrement(current?.vclock ?? {}, region),
  });
}

describe('layer/resolver/map', () => {
  crdtLaws('map', opArb);

  it('merges each field with its own strategy', () => {
    const a = write('us-east', undefined, update('hits', 'pn-counter', { op: 'incr', delta: 2 }));
    assert.ok(a.ok);
    const a2 = write('us-east', a.stored, update('name', 'lww', { op: 'put', value: 'ann' }));
    const b = write('eu-west', undefined, update('hits', 'pn-counter', { op: 'incr', delta: 3 }));
    assert.ok(a2.ok && b.ok);
    assert.deepEqual(read(merge(a2.stored, b.stored).stored).value, { hits: 5, name: 'ann' });
  });

  it('refuses an operation of another type on an existing field', () => {
    const a = write('us-east', undefined, update('hits', 'pn-counter', { op: 'incr', delta: 2 }));
    assert.ok(a.ok);
    const r = write('us-east', a.stored, update('hits', 'lww', { op: 'put', value: 1 }));
    assert.deepEqual(r, { ok: false, error: 'wrong-type', message: 'map field "hits" holds a pn-counter, not a lww' });
    const inner = write('us-east', a.stored, update('hits', 'pn-counter', { op: 'put', value: 1 }));
    assert.equal(!inner.ok && inner.message, `map field "hits": operation 'put' does not apply to a pn-counter key`);
    assert.equal(!write('us-east', undefined, { op: 'put', value: {} }).ok, true);
    assert.deepEqual(write('us-east', undefined, update('f', 'crdt' as Strategy, { op: 'put', value: 1 })),
      { ok: false, error: 'rejected', message: 'map-update innerStrategy: unknown strategy "crdt"' });
  });

  it('keeps both when two regions create one field with different types, showing one deterministically and flagging it', () => {
    const a = write('us-east', undefined, update('f', 'pn-counter', { op: 'incr', delta: 2 }));
    const b = write('eu-west', undefined, update('f', 'lww', { op: 'put', value: 'v' }));
    assert.ok(a.ok && b.ok);
    const ab = merge(a.stored, b.stored).stored;
    const ba = merge(b.stored, a.stored).stored;
    assert.equal(JSON.stringify(ab), JSON.stringify(ba));
    assert.deepEqual(read(ab).value, { f: 2 }, "'pn-counter' sorts after 'lww'");
    assert.equal(ab.conflict, true);
    assert.equal((ab.state as { fields: unknown[] }).fields.length, 2, 'nothing is thrown away');
  });

  it('does not let a "__proto__" field touch the prototype', () => {
    const a = write('us-east', undefined, update('__proto__', 'lww', { op: 'put', value: { polluted: true } }));
    assert.ok(a.ok);
    const v = read(merge(undefined, JSON.parse(JSON.stringify(a.stored))).stored).value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
