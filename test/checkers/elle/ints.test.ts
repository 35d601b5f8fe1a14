import { strict as assert } from 'node:assert';
import { Flags, IntList } from '../../../checkers/elle/ints.ts';

describe('elle integer columns', () => {
  it('IntList keeps every pushed value in order across growth and returns each index', () => {
    const l = new IntList(1);
    for (let i = 0; i < 1000; i++) assert.equal(l.push(i * 7 - 3), i);
    assert.equal(l.length, 1000);
    assert.ok(l.a.length >= 1000);
    for (let i = 0; i < 1000; i++) assert.equal(l.a[i], i * 7 - 3);
  });

  it('Flags holds exactly the integers set, far past its first capacity', () => {
    const f = new Flags();
    for (const i of [0, 3, 1023, 1024, 50_000]) f.set(i);
    for (const i of [0, 3, 1023, 1024, 50_000]) assert.equal(f.has(i), true);
    for (const i of [1, 1022, 1025, 49_999, 50_001, 10 ** 7]) assert.equal(f.has(i), false);
  });
});
