import { strict as assert } from 'node:assert';
import { renderReport } from '../../reports/html/page.ts';
import { renderJUnit } from '../../reports/junit.ts';
import { readResults } from '../../reports/results-input.ts';
import { smallRun } from './history-fixture.ts';

describe('reports/results-input', () => {
  it('turns malformed checker entries into unknowns that say what was wrong', () => {
    const r = readResults({ valid: 'yes', checkers: { a: null, b: [1], c: { valid: 'maybe', reason: 'r' }, d: { valid: true } } });
    assert.equal(r.valid, 'unknown');
    assert.deepEqual(r.checkers.a, { valid: 'unknown', reason: 'results.json: checkers.a is not an object (got null)' });
    assert.equal(r.checkers.b.reason, 'results.json: checkers.b is not an object (got [1])');
    assert.equal(r.checkers.c.valid, 'unknown');
    assert.equal(r.checkers.c.reason, 'results.json: checkers.c.valid must be true, false or "unknown" (got "maybe"); r');
    assert.deepEqual(r.checkers.d, { valid: true });
    assert.deepEqual(readResults(null), { valid: 'unknown', checkers: {} });
    assert.equal(readResults({ valid: true, checkers: { x: { valid: false } } }).valid, false, 'a failing checker wins over a stale top-level verdict');
  });

  it('lets the page and JUnit render such results instead of crashing', () => {
    const raw = { valid: true, checkers: { a: null, b: 'x' } } as never;
    const html = renderReport({ history: smallRun(), results: raw });
    assert.match(html, /checkers\.a is not an object/);
    assert.match(renderJUnit({ results: raw }), /<error message="unknown: results\.json: checkers\.a is not an object \(got null\)" type="unknown">/);
  });

  it('says what is wrong when the history is not a list', () => {
    assert.throws(() => renderReport({ history: {} as never, results: { valid: true, checkers: {} } }), /renderReport: history must be an array of ops \(got object\)/);
  });
});

describe('reports/run-meta', () => {
  it('keeps typed fields, and shows the runner\'s top-level options as extra fields', async () => {
    const { runMeta, coverageRows } = await import('../../reports/run-meta.ts');
    const m = runMeta({ name: 'n', seed: 5, nemesis: ['kill'], concurrency: 6, timeLimitS: 10, keyPrefix: undefined, durationMs: 'soon', faults: [{ kind: 'kill', target: 'eu-west', asked: 1, tookEffect: 1, failed: 0 }] });
    assert.equal(m.name, 'n');
    assert.equal(m.durationMs, undefined, 'a mistyped field is ignored, not shown wrong');
    assert.deepEqual(m.extra, { concurrency: 6, timeLimitS: 10 }, 'an undefined option is left out, as run.json would');
    assert.deepEqual(coverageRows(m.faults), [{ kind: 'kill', target: 'eu-west', asked: 1, tookEffect: 1, failed: 0 }]);
    assert.deepEqual(coverageRows({ kill: { 'eu-west': { asked: 2, tookEffect: 1 } } }), [{ kind: 'kill', target: 'eu-west', asked: 2, tookEffect: 1, failed: 0 }]);
  });
});
