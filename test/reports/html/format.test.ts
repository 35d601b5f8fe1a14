import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { grouped } from '../../../reports/html/format.ts';

describe('report formatting: grouped numbers', () => {
  it("writes a number as toLocaleString('en-US') does", () => {
    for (const x of [0, -0, 1234, -1234567, 1234.5678, 0.0005, -0.0004, 999.9995, 1.0005, 2.5e-7, 1e21, Infinity, NaN]) {
      assert.equal(grouped(x), x.toLocaleString('en-US'), String(x));
    }
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -1e22, max: 1e22 }), fc.integer(), fc.integer({ min: -1e7, max: 1e7 }).map((x) => x / 10_000)), (x) => {
        assert.equal(grouped(x), x.toLocaleString('en-US'));
      }),
      { numRuns: 5000 },
    );
  });
});
