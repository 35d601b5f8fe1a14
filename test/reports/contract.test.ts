import { strict as assert } from 'node:assert';
import type { Results } from '../../harness/core/checker.ts';
import { resultsJson } from '../../reports/json.ts';
import { renderJUnit } from '../../reports/junit.ts';
import { readResults } from '../../reports/results-input.ts';
import { renderReport } from '../../reports/html/page.ts';
import { summarize } from '../../harness/cli/summary.ts';

/** A run whose promises were kept while a measurement (linearizability of the eventual tier) found anomalies. */
const results = (): Results => ({
  valid: true,
  checkers: {
    'linearizable [critical/*]': { valid: true, reason: 'linearizable' },
    'linearizable [register/*]': { valid: false, reason: 'read cannot be linearized' },
    'convergence [register/*]': { valid: true, reason: '4 keys agree' },
    'stale-reads [register/*]': {
      valid: true, reason: '3 of 10 reads stale', reads: 10, stale: 3, staleFraction: 0.3,
      versionsBehind: { count: 3, p50: 1, p90: 2, p99: 2, max: 2 }, msBehind: { count: 3, p50: 40, p90: 90, p99: 90, max: 90 },
    },
  },
  contract: {
    target: 'local',
    valid: true,
    lines: [
      { property: 'linearizable', checker: 'linearizable [critical/*]', scope: 'critical/*', kept: true },
      { property: 'convergence', checker: 'convergence [register/*]', scope: 'register/*', kept: true },
    ],
  },
  measurements: ['linearizable [register/*]', 'stale-reads [register/*]'],
});

describe('reports: contract and measurements', () => {
  it('results.json keeps the HISTORY.md shape and says which checkers are promises and which measurements', () => {
    const j = JSON.parse(resultsJson(results()));
    assert.equal(j.valid, true);
    assert.equal(j.checkers['linearizable [register/*]'].valid, false);
    assert.deepEqual(j.contract.lines.map((l: { checker: string }) => l.checker), ['linearizable [critical/*]', 'convergence [register/*]']);
    assert.deepEqual(j.measurements, ['linearizable [register/*]', 'stale-reads [register/*]']);
  });

  it('reading results back: the verdict is the contract\'s, yet an edited promise cannot hide behind the top-level valid', () => {
    const back = readResults(JSON.parse(resultsJson(results())));
    assert.equal(back.valid, true, 'a failing measurement does not lower the verdict');
    const edited = JSON.parse(resultsJson(results()));
    edited.checkers['convergence [register/*]'].valid = false;
    assert.equal(readResults(edited).valid, false);
    const plain = JSON.parse(resultsJson(results()));
    delete plain.contract;
    assert.equal(readResults(plain).valid, false, 'without a contract every checker counts, as before');
  });

  it('JUnit fails only on promises; measurements are passing cases that say what they found', () => {
    const ok = renderJUnit({ results: results() });
    assert.match(ok, /failures="0"/);
    assert.match(ok, /<testcase name="measurement: linearizable \[register\/\*\]"[^>]*>\s*<system-out>anomalies \(not promised\): read cannot be linearized/);
    const broken = results();
    broken.checkers['convergence [register/*]'] = { valid: false, reason: '1 key differs' };
    broken.contract!.lines[1].kept = false;
    broken.valid = false;
    const bad = renderJUnit({ results: broken });
    assert.match(bad, /failures="1"/);
    assert.match(bad, /<testcase name="convergence \[register\/\*\]"[^>]*>\s*<failure message="1 key differs"/);
  });

  it('the summary prints the contract, each line kept or broken with its checker, then the measurements', () => {
    const s = summarize(results(), 7);
    assert.match(s, /^verdict: CONTRACT KEPT \(seed 7\)$/m);
    assert.match(s, /^ {2}kept {4}linearizable on critical\/\*, proved by linearizable \[critical\/\*\] — linearizable$/m);
    assert.match(s, /^measurements \(reported, never red\):$/m);
    assert.match(s, /^ {2}linearizable \[register\/\*\]\s+INVALID — read cannot be linearized$/m);
    const broken = results();
    broken.valid = false;
    broken.contract!.lines[1].kept = false;
    assert.match(summarize(broken), /^verdict: CONTRACT BROKEN$/m);
    assert.match(summarize(broken), /^ {2}BROKEN {2}convergence on register\/\*/m);
  });

  it('the report\'s header shows the contract kept, and which checker proves each line; stale reads get a table', () => {
    const html = renderReport({ history: [], results: results(), run: { name: 'r', target: 'local' } });
    assert.match(html, /<h1 id="verdict">Contract kept<\/h1>/);
    assert.match(html, /All 2 promises of local kept/);
    const contract = html.slice(html.indexOf('<section id="contract"'), html.indexOf('</section>', html.indexOf('<section id="contract"')));
    assert.match(contract, /<span class="chip valid">kept<\/span><\/td><td>linearizable<\/td><td><code>critical\/\*<\/code><\/td><td><a href="#raw-linearizable-critical-">linearizable \[critical\/\*\]<\/a>/);
    assert.match(contract, /Measurements \(reported, never red\)/);
    assert.ok(html.indexOf('id="contract"') < html.indexOf('id="checkers"'), 'the contract comes before the checker cards');
    const cards = html.slice(html.indexOf('<section id="checkers"'), html.indexOf('</section>', html.indexOf('<section id="checkers"')));
    assert.ok(cards.indexOf('>convergence [register/*]<') < cards.indexOf('>linearizable [register/*]<'), 'promises first, even before a failing measurement');
    assert.match(cards, /<article class="card invalid measurement"><h3><a href="#raw-linearizable-register-">linearizable \[register\/\*\]<\/a><\/h3><p class="badge invalid">Anomalies found<\/p><p class="note">measurement: not promised, never red<\/p>/);
    const stale = html.slice(html.indexOf('<section id="stale-reads"'));
    assert.match(stale, /<td>stale-reads \[register\/\*\]<\/td><td>10<\/td><td>3 \(30\.0%\)<\/td><td>1<\/td><td>2<\/td><td>2<\/td><td>2<\/td><td>40<\/td>/);
  });
});
