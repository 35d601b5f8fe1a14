import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import type { Results } from '../../harness/core/checker.ts';
import { renderJUnit, xmlEscape } from '../../reports/junit.ts';
import { launchChromium } from './browser.ts';
import { smallRun } from './history-fixture.ts';
import { richResults, runJson } from './results-fixture.ts';

interface ParsedCase {
  name: string;
  outcome: string;
  message: string | null;
  type: string | null;
  body: string;
}
interface Parsed {
  error: string | null;
  suite: Record<string, string>;
  props: Record<string, string>;
  cases: ParsedCase[];
}

/** Parses with Chromium's XML parser, which rejects anything not well-formed. */
const PARSE = `(xml) => {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const err = doc.querySelector('parsererror');
  if (err) return { error: err.textContent, suite: {}, props: {}, cases: [] };
  const suite = doc.querySelector('testsuites > testsuite');
  const attrs = Object.fromEntries([...suite.attributes].map((a) => [a.name, a.value]));
  const props = Object.fromEntries([...suite.querySelectorAll('properties > property')].map((p) => [p.getAttribute('name'), p.getAttribute('value')]));
  const cases = [...suite.querySelectorAll('testcase')].map((c) => {
    const o = c.querySelector('failure, error, skipped');
    return { name: c.getAttribute('name'), outcome: o ? o.tagName : 'pass', message: o && o.getAttribute('message'), type: o && o.getAttribute('type'), body: o ? o.textContent : '' };
  });
  return { error: null, suite: attrs, props, cases };
}`;

describe('reports/junit', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let parse: (xml: string) => Promise<Parsed>;

  before(async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    parse = (xml) => page.evaluate(`(${PARSE})(${JSON.stringify(xml)})`) as Promise<Parsed>;
  });
  after(async () => {
    await browser?.close();
  });

  it('is well-formed XML with one testcase per checker plus fault coverage', async () => {
    const xml = renderJUnit({ results: richResults(), run: runJson, history: smallRun() });
    const p = await parse(xml);
    assert.equal(p.error, null);
    assert.deepEqual(
      p.cases.map((c) => [c.name, c.outcome]),
      [
        ['convergence', 'pass'],
        ['elle-list-append', 'failure'],
        ['linearizable', 'failure'],
        ['session-guarantees', 'error'],
        ['stats', 'pass'],
        ['faults took effect', 'failure'],
      ],
    );
    assert.equal(p.suite.name, `rift.${runJson.name}`);
    assert.deepEqual([p.suite.tests, p.suite.failures, p.suite.errors, p.suite.skipped], ['6', '3', '1', '0']);
    assert.equal(p.suite.time, '0.330');
    assert.equal(p.suite.timestamp, '2026-12-01T02:00:00');
    assert.equal(p.props.seed, '42');
    const lin = p.cases.find((c) => c.name === 'linearizable')!;
    assert.equal(lin.message, 'key x: the read on line 16 cannot be linearized');
    assert.equal(lin.type, 'anomaly');
    assert.match(lin.body, /History lines blamed: 16\n/);
    assert.match(xml, /\n \"valid\": false,\n/, 'JSON in a failure body keeps its quotes');
    const unk = p.cases.find((c) => c.name === 'session-guarantees')!;
    assert.equal(unk.type, 'unknown');
    assert.equal(unk.message, 'unknown: no meta.version on reads </b>');
    assert.equal(p.cases.at(-1)!.message, 'never took effect: kill (asked 1)');
  });

  it('can report unknown as skipped, and skips the fault case when no faults were asked', async () => {
    const results: Results = { valid: 'unknown', checkers: { linearizable: { valid: 'unknown', reason: 'timeout after 10 s' } } };
    const p = await parse(renderJUnit({ results, run: { name: 'r', nemesis: [] } }, { unknownAs: 'skipped' }));
    assert.equal(p.error, null);
    assert.deepEqual(p.cases.map((c) => [c.name, c.outcome, c.message]), [
      ['linearizable', 'skipped', 'unknown: timeout after 10 s'],
      ['faults took effect', 'skipped', 'no faults were requested'],
    ]);
  });

  it('survives control characters and markup in every field', async () => {
    const nasty = 'a\u0000b\u001b[31m]]></testcase><x y="&"\uFFFE';
    const results: Results = { valid: false, checkers: { [nasty]: { valid: false, reason: nasty, detail: nasty } } };
    const p = await parse(renderJUnit({ results, run: { name: nasty, command: nasty, nemesis: [nasty] } }));
    assert.equal(p.error, null);
    assert.equal(p.cases[0].message, 'a\uFFFDb\uFFFD[31m]]></testcase><x y="&"\uFFFD');
    assert.equal(xmlEscape('<&>"\''), '&lt;&amp;&gt;&quot;&apos;');
  });

  it('counts faults from the history when run.json has no coverage', async () => {
    const p = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition'] }, history: smallRun() }));
    const c = p.cases.find((x) => x.name === 'faults took effect')!;
    assert.equal(c.outcome, 'failure', 'kill was asked and never took effect');
    assert.equal(c.message, 'never took effect: kill (asked 1)');
    const q = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition', 'pause'], faults: [{ kind: 'partition', target: 'isolate', asked: 2, tookEffect: 2, failed: 0 }] } }));
    assert.equal(q.cases.at(-1)!.message, 'requested but never scheduled: pause');
    const ok = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition'], faults: [{ kind: 'partition', asked: 2, tookEffect: 1, failed: 1 }] } }));
    assert.equal(ok.cases.at(-1)!.outcome, 'pass');
  });

  it('counts a shape alias such as partition-isolate by the partitions of that shape', async () => {
    const faults = [
      { kind: 'partition', target: 'isolate clean', asked: 1, tookEffect: 1, failed: 0 },
      { kind: 'heal', asked: 1, tookEffect: 1, failed: 0 },
      { kind: 'kill', target: 'eu-west', asked: 1, tookEffect: 1, failed: 0 },
    ];
    const pass = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition-isolate', 'kill'], faults } }));
    assert.equal(pass.cases.at(-1)!.outcome, 'pass', pass.cases.at(-1)!.message ?? '');
    const halves = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition-isolate', 'partition-halves', 'kill'], faults } }));
    assert.equal(halves.cases.at(-1)!.message, 'requested but never scheduled: partition-halves');
    const failed = await parse(renderJUnit({ results: { valid: true, checkers: {} }, run: { nemesis: ['partition-isolate'], faults: [{ ...faults[0], tookEffect: 0, failed: 1 }] } }));
    assert.equal(failed.cases.at(-1)!.message, 'never took effect: partition-isolate (asked 1)');
  });
});
