import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalise, resultsJson, ResultsFormatError, writeResultsJson } from '../../reports/json.ts';
import { richResults } from './results-fixture.ts';

describe('reports/json', () => {
  it('writes valid and reason first, then keys sorted, checkers sorted, pretty-printed', () => {
    const text = resultsJson({ valid: false, checkers: { zeta: { z: 1, reason: 'r', a: { y: 1, b: 2 }, valid: false }, alpha: { valid: true } } });
    assert.equal(
      text,
      '{\n  "valid": false,\n  "checkers": {\n    "alpha": {\n      "valid": true\n    },\n    "zeta": {\n      "valid": false,\n      "reason": "r",\n      "a": {\n        "b": 2,\n        "y": 1\n      },\n      "z": 1\n    }\n  }\n}\n',
    );
  });

  it('is the same text whatever order the keys were built in', () => {
    const a = richResults();
    const b = JSON.parse(JSON.stringify(a, Object.keys(a).reverse()));
    b.checkers = Object.fromEntries(Object.entries(a.checkers).reverse());
    assert.equal(resultsJson(b), resultsJson(a));
    assert.deepEqual(JSON.parse(resultsJson(a)), JSON.parse(JSON.stringify(a)));
  });

  it('keeps values JSON cannot hold as strings instead of nulls', () => {
    assert.deepEqual(normalise({ upper: Infinity, nan: NaN, big: 12345678901234567890n, gone: undefined, list: [undefined] }), {
      big: '12345678901234567890n',
      list: [null],
      nan: 'NaN',
      upper: 'Infinity',
    });
  });

  it('names where a cycle or a function sits', () => {
    const cyc: Record<string, unknown> = { valid: true };
    cyc.self = { back: cyc };
    assert.throws(() => resultsJson({ valid: true, checkers: { c: cyc as never } }), (e: unknown) => e instanceof ResultsFormatError && e.path === 'results.checkers.c.self.back');
    assert.throws(() => resultsJson({ valid: true, checkers: { c: { valid: true, f: () => 1 } } }), /results\.checkers\.c\.f: a function cannot be written as JSON/);
  });

  it('writes the file whole, leaving no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rift-json-'));
    try {
      await writeResultsJson(join(dir, 'results.json'), richResults());
      assert.deepEqual(readdirSync(dir), ['results.json']);
      assert.equal(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).checkers.linearizable.valid, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
