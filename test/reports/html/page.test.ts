import { strict as assert } from 'node:assert';
import type { Results } from '../../../harness/core/checker.ts';
import type { IndexedOp } from '../../../harness/core/op.ts';
import { renderReport } from '../../../reports/html/page.ts';
import { indexed, largeRun, smallRun } from '../history-fixture.ts';
import { richResults, runJson } from '../results-fixture.ts';

const HOSTILE = `</script><img src=x onerror=alert(1)><script>alert(2)</script>`;

const count = (s: string, needle: string): number => s.split(needle).length - 1;
const h1 = (html: string): string => /<h1 id="verdict">([^<]*)<\/h1>/.exec(html)?.[1] ?? '';

describe('reports/html/page', () => {
  it('shows the verdict first, with a sentence naming who decided what', () => {
    const html = renderReport({ history: smallRun(), results: richResults(), run: runJson });
    assert.equal(h1(html), 'Anomalies found');
    assert.match(html, /linearizable, elle-list-append found anomalies\. session-guarantees could not decide\./);
    assert.ok(html.indexOf('id="verdict"') < html.indexOf('id="timeline"'), 'verdict comes before the timeline');

    const ok: Results = { valid: true, checkers: { linearizable: { valid: true } } };
    assert.equal(h1(renderReport({ history: smallRun(), results: ok })), 'Valid');
    const unk: Results = { valid: 'unknown', checkers: { linearizable: { valid: 'unknown', reason: 'timeout' }, set: { valid: true } } };
    const u = renderReport({ history: smallRun(), results: unk });
    assert.equal(h1(u), 'Unknown');
    assert.match(u, /could not decide|linearizable/);
    assert.match(u, /timeout/);
    assert.match(renderReport({ history: [], results: { valid: 'unknown', checkers: {} } }), /No checker ran/);
  });

  it('escapes hostile keys, values, reasons, run names and options everywhere', () => {
    const history: IndexedOp[] = indexed([
      { type: 'invoke', process: 0, f: 'write', key: HOSTILE, value: HOSTILE, time: 1, region: HOSTILE },
      { type: 'ok', process: 0, f: 'write', key: HOSTILE, value: HOSTILE, time: 5e6, region: HOSTILE },
      { type: 'invoke', process: 'nemesis', f: 'partition', value: HOSTILE, time: 6e6 },
      { type: 'info', process: 'nemesis', f: 'partition', value: HOSTILE, time: 7e6 },
    ]);
    const results: Results = {
      valid: false,
      checkers: {
        [HOSTILE]: { valid: false, reason: HOSTILE, [HOSTILE]: [{ line: 1, what: HOSTILE }] },
        linearizable: { valid: false, counterexample: { key: HOSTILE, prefix: [{ line: 1, op: HOSTILE, state: HOSTILE }], stuck: { line: 2, op: { f: HOSTILE } }, states: [HOSTILE] } },
        'elle-rw-register': { valid: false, anomalyTypes: [HOSTILE], anomalies: { [HOSTILE]: [{ explanation: HOSTILE, cycle: [{ line: 1, edge: HOSTILE }] }] }, not: [HOSTILE] },
      },
    };
    const html = renderReport({ history, results, run: { ...runJson, name: HOSTILE, command: HOSTILE, options: { [HOSTILE]: HOSTILE } } });
    assert.equal(count(html, '<script'), 1, 'only the report script');
    assert.equal(count(html, '<img'), 0);
    assert.ok(!html.includes('onerror=alert(1)>'));
    assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the hostile text is shown as text');
  });

  it('counts client operations apart from convergence probes, as the stats checker does', () => {
    const history: IndexedOp[] = indexed([
      { type: 'invoke', process: 0, f: 'write', key: 'k', value: 1, time: 1, region: 'a' },
      { type: 'ok', process: 0, f: 'write', key: 'k', value: 1, time: 2e6, region: 'a' },
      { type: 'invoke', process: 1_000_000, f: 'digest', value: null, time: 3e6, region: 'a', meta: { probe: true } },
      { type: 'ok', process: 1_000_000, f: 'digest', value: 'x', time: 4e6, region: 'a', meta: { probe: true } },
      { type: 'invoke', process: 1_000_001, f: 'digest', value: null, time: 3e6, region: 'b', meta: { probe: true } },
      { type: 'info', process: 1_000_001, f: 'digest', value: null, time: 5e6, region: 'b', meta: { probe: true } },
    ]);
    const html = renderReport({ history, results: { valid: true, checkers: {} } });
    assert.match(html, /<dt>operations<\/dt><dd>1 client \(\+2 probes\), 0 fault windows<\/dd>/);
    assert.match(renderReport({ history: history.slice(0, 2), results: { valid: true, checkers: {} } }), /<dd>1 client, 0 fault windows<\/dd>/);
  });

  it('has a nav link for each section it shows, and none for sections it leaves out', () => {
    for (const html of [renderReport({ history: smallRun(), results: richResults(), run: runJson }), renderReport({ history: [], results: { valid: true, checkers: {} } })]) {
      const ids = new Set([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]));
      const links = [.../<nav>(.*?)<\/nav>/.exec(html)![1].matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(new Set(links), ids);
    }
  });

  it('locks the page down: no external resources, and a CSP that allows only the inline script', () => {
    const html = renderReport({ history: smallRun(), results: richResults(), run: runJson });
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-[A-Za-z0-9+/=]+'"/);
    assert.ok(!/\b(?:src|href)="(?:https?:)?\/\//.test(html), 'no absolute URLs in src/href');
    assert.ok(!/@import|url\(/.test(html), 'no CSS imports or url() references');
  });

  it('shades the fault window, marks the failed fault, and highlights blamed ops in the timeline', () => {
    const html = renderReport({ history: smallRun(), results: richResults(), run: runJson });
    const svg = /<svg class="timeline"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.match(svg, /<rect class="fw"[^>]*><title>partition: isolated us-east — from 0\.100 s until 0\.300 s \(heal\)/);
    assert.match(svg, /<g class="ff"><title>kill eu-west did not take effect \(line 10\): eu-west already dead/);
    assert.equal(count(svg, 'class="op '), 5, 'one bar per client op');
    assert.match(svg, /class="op ok blamed"[^>]*><title>lines 15→16[^<]*BLAMED by linearizable: cannot be linearized/);
    assert.match(html, /<tr id="op-16">/);
  });

  it('renders the counterexample, Elle cycles, convergence and coverage', () => {
    const html = renderReport({ history: smallRun(), results: richResults(), run: runJson });
    assert.match(html, /<li class="stuck"><a class="ln" href="#op-16">line 16<\/a> <code class="op">p1 read x → 1<\/code>/);
    assert.match(html, /<span class="ln">line 1<\/span> <code class="op">p0 write x 1<\/code> <span class="arrow">⇒<\/span> <code class="state">1<\/code>/);
    assert.match(html, /<p class="explain">T1 did not observe T2&#39;s append/);
    assert.match(html, /—rw→/);
    assert.match(html, /<td class="num barcell">.*42\.0 ms/);
    assert.match(html, /<tr class="bad"><td>kill<\/td><td><\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td><td><span class="chip bad">never took effect/);
  });

  it('lists a requested shape alias as never asked only when no partition of that shape was scheduled', () => {
    const faults = [{ kind: 'partition', target: 'isolate black-hole', asked: 1, tookEffect: 1, failed: 0 }];
    const html = renderReport({ history: smallRun(), results: { valid: true, checkers: {} }, run: { ...runJson, nemesis: ['partition-isolate', 'partition-ring'], faults } });
    assert.ok(!/<td>partition-isolate<\/td>/.test(html), 'partition-isolate was exercised through its isolate partitions');
    assert.match(html, /<tr class="bad"><td>partition-ring<\/td>.*never asked/);
  });

  it('numbers the steps of a cut prefix by their place in the whole order the checker found', () => {
    const prefix = Array.from({ length: 3 }, (_, i) => ({ line: 100 + i, op: `write x ${i}`, state: String(i) }));
    const results: Results = {
      valid: false,
      checkers: { linearizable: { valid: false, counterexample: { key: 'x', longestPrefix: prefix, prefixLength: 171, cannotPlace: { line: 16, op: 'read x → 9' }, statesReached: ['2'] } } },
    };
    const html = renderReport({ history: smallRun(), results });
    assert.match(html, /the checker placed 171 operations in an order/);
    assert.match(html, /The last 3 of them are listed\.<\/p><ol class="steps" start="169">/);
    const whole = renderReport({ history: smallRun(), results: { valid: false, checkers: { linearizable: { valid: false, counterexample: { key: 'x', longestPrefix: prefix, prefixLength: 3, cannotPlace: { line: 16, op: 'read x → 9' } } } } } });
    assert.match(whole, /the checker placed 3 operations[^<]*<a[^>]*>line 16<\/a> could not be placed[^<]*<\/p><ol class="steps">/);
  });

  it('tabulates the findings of checkers without a special view, linking blamed lines', () => {
    const results: Results = {
      valid: false,
      checkers: {
        set: { valid: false, reason: '1 lost', lost: [{ key: 'x', element: 3, region: 'eu-west', addLine: 1, lastAbsentLine: 16 }], recovered: [{ key: 'x', element: 9, addLine: 2 }] },
      },
    };
    const html = renderReport({ history: smallRun(), results });
    assert.match(html, /<h3>set: 1 lost<\/h3><h4>lost <span class="note">\(1\)<\/span><\/h4>/);
    assert.match(html, /<td><a class="ln" href="#op-1">line 1<\/a><\/td><td><a class="ln" href="#op-16">line 16<\/a><\/td>/);
    assert.ok(!html.includes('<h4>recovered'), 'recovered elements are not problems');
    const sessions = renderReport({
      history: smallRun(),
      results: { valid: false, checkers: { 'session-guarantees': { valid: false, violations: [{ guarantee: 'monotonic-reads', session: '1', key: 'x', op: { line: 16, region: 'eu-west' }, earlier: { line: 4, region: 'eu-west' } }] } } },
    });
    assert.match(sessions, /<td><a class="ln" href="#op-16">line 16<\/a> <span class="note">region eu-west<\/span><\/td>/);
  });

  it('links only to blamed rows that exist, even past the table cap', () => {
    const history = largeRun(2000);
    const oks = history.filter((o) => o.type === 'ok').slice(0, 1600).map((o) => ({ line: o.line }));
    const html = renderReport({ history, results: { valid: false, checkers: { set: { valid: false, lost: oks } } } });
    const ids = new Set([...html.matchAll(/id="(op-\d+)"/g)].map((m) => m[1]));
    const hrefs = [...html.matchAll(/href="#(op-\d+)"/g)].map((m) => m[1]);
    assert.ok(hrefs.length > 0);
    assert.deepEqual(hrefs.filter((h) => !ids.has(h)), []);
    assert.match(html, /… 100 more blamed operations in results\.json/);
  });

  it('shows availability inside and outside fault windows, and throughput', () => {
    const results: Results = {
      valid: true,
      checkers: {
        availability: {
          valid: true,
          overall: { inside: { ok: 1, total: 2, fraction: 0.5 }, outside: { ok: 3, total: 3, fraction: 1 }, byKind: { partition: { ok: 1, total: 2, fraction: 0.5 } } },
          regions: { 'us-east': { inside: { ok: 0, total: 1, fraction: 0 }, outside: { ok: 1, total: 1, fraction: 1 }, byKind: {} } },
        },
      },
    };
    const html = renderReport({ history: smallRun(), results });
    assert.match(html, /<th>during partition<\/th>/);
    assert.match(html, /<tr><td>us-east<\/td><td><span class="chip good">100\.0%<\/span> <span class="note">1\/1<\/span><\/td><td><span class="chip bad">0\.0%<\/span>/);
    assert.match(html, /<svg class="throughput"/);
  });

  it('keeps a 100k-operation report small by aggregating the timeline and latency chart', function () {
    this.timeout(60_000);
    const history = largeRun(100_000);
    const blamedLine = history.find((o) => o.type === 'ok' && o.process !== 'nemesis')!.line;
    const results: Results = { valid: false, checkers: { set: { valid: false, lost: [{ line: blamedLine }] } } };
    const html = renderReport({ history, results });
    assert.ok(Buffer.byteLength(html) < 2_000_000, `report is ${Buffer.byteLength(html)} bytes`);
    const svg = /<svg class="timeline"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.ok(count(svg, 'class="op ') <= 3 * 360 * 3, 'at most one rect per region, bucket and outcome');
    assert.ok(count(svg, 'class="op ') > 300, 'but the buckets are drawn');
    assert.equal(count(svg, 'class="mark"'), 1, 'the blamed op is still marked on its own');
    assert.match(html, /100,000 operations are too many to draw one by one/);
    assert.match(html, /<polyline class="q p99"/);
    assert.equal(count(html, '<circle class="pt'), 0);
    const tput = /<svg class="throughput"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.ok(count(tput, 'class="op ') <= 3 * 120, 'throughput is bucketed too');
  });
});
