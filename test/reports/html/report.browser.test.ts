import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { Results } from '../../../harness/core/checker.ts';
import { writeReports, type ReportPaths } from '../../../reports/write.ts';
import { launchChromium } from '../browser.ts';
import { largeRun, smallRun } from '../history-fixture.ts';
import { richResults, runJson } from '../results-fixture.ts';
import { openOffline } from './offline-page.ts';

const open = openOffline;

describe('reports/html in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let dir: string;
  let paths: ReportPaths;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-report-'));
    paths = await writeReports(dir, { history: smallRun(), results: richResults(), run: runJson });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (process.env.RIFT_KEEP_REPORT) console.log(`report kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('writes report.html, results.json and junit.xml into the run directory', () => {
    assert.deepEqual(paths, { html: join(dir, 'report.html'), json: join(dir, 'results.json'), junit: join(dir, 'junit.xml') });
    assert.equal(JSON.parse(readFileSync(paths.json, 'utf8')).valid, false);
    assert.match(readFileSync(paths.junit, 'utf8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites/);
    assert.ok(statSync(paths.html).size > 10_000);
  });

  it('notices a page that reaches for the network (the guard the other tests rely on)', async () => {
    const leaky = join(dir, 'leaky.html');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(leaky, '<!doctype html><title>t</title><img src="http://127.0.0.1:9/pixel.png"><script>console.error("boom")</script>');
    const context = await browser!.newContext();
    try {
      const { problems } = await open(context, pathToFileURL(leaky).href);
      assert.ok(problems.includes('network request: http://127.0.0.1:9/pixel.png'), problems.join('\n'));
      assert.ok(problems.includes('console error: boom'), problems.join('\n'));
    } finally {
      await context.close();
    }
  });

  it('refuses a run directory that does not exist, naming it', async () => {
    await assert.rejects(writeReports(join(dir, 'nope'), { history: [], results: { valid: true, checkers: {} } }), /writeReports: run directory .*nope does not exist/);
  });

  for (const javaScriptEnabled of [false, true]) {
    it(`shows the verdict and the timeline with JavaScript ${javaScriptEnabled ? 'on' : 'off'}, with no requests and no errors`, async () => {
      const context = await browser!.newContext({ javaScriptEnabled, viewport: { width: 1240, height: 900 } });
      try {
        const { page, problems } = await open(context, pathToFileURL(paths.html).href);
        const verdict = page.locator('#verdict');
        assert.ok(await verdict.isVisible());
        assert.equal(await verdict.textContent(), 'Anomalies found');
        const timeline = page.locator('svg.timeline');
        assert.ok(await timeline.isVisible());
        const box = await timeline.boundingBox();
        assert.ok(box && box.width > 800 && box.height > 60, `timeline box ${JSON.stringify(box)}`);
        assert.equal(await page.locator('svg.timeline rect.op').count(), 5);
        assert.ok(await page.locator('.cx li.stuck').isVisible(), 'the counterexample is readable');
        assert.ok(await page.locator('.cycle .explain').isVisible(), 'the Elle explanation is readable');
        // Every Elle cycle is drawn as a graph beside its words, with or without JavaScript.
        const cycles = await page.locator('.cycle').count();
        assert.ok(cycles > 0, 'the fixture has Elle cycles');
        assert.equal(await page.locator('.cycle.with-graph svg').count(), cycles, 'a graph for every cycle');
        assert.ok(await page.locator('.cycle.with-graph svg').first().isVisible(), 'the cycle graph is drawn');
        const filter = page.locator('.filter-slot input[type=search]');
        if (javaScriptEnabled) {
          await filter.fill('linearizable');
          assert.equal(await page.locator('#blamed tbody tr:visible').count(), 1);
          await page.locator('label.toggle input').check();
          assert.equal(await page.locator('svg.timeline.focus').count(), 1);
        } else {
          assert.equal(await filter.count(), 0, 'no dead controls without JavaScript');
          assert.equal(await page.locator('#blamed tbody tr:visible').count(), 3);
        }
        const duplicateIds = await page.evaluate(`(() => { const seen = new Set(), dup = []; for (const e of document.querySelectorAll('[id]')) { if (seen.has(e.id)) dup.push(e.id); seen.add(e.id); } return dup; })()`);
        assert.deepEqual(duplicateIds, [], 'anchors must be unique');
        const dangling = await page.evaluate(`[...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)).filter((id) => !document.getElementById(id))`);
        assert.deepEqual(dangling, [], 'every in-page link has a target');
        await page.screenshot({ path: join(dir, `report-js-${javaScriptEnabled ? 'on' : 'off'}.png`), fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('renders a 100k-operation report with the aggregated timeline', async () => {
    const history = largeRun(100_000);
    const results: Results = { valid: true, checkers: { stats: { valid: true, count: 100_000 } } };
    const big = join(dir, 'big');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(big);
    const p = await writeReports(big, { history, results, run: { name: 'big' } });
    const context = await browser!.newContext({ viewport: { width: 1240, height: 900 } });
    try {
      const { page, problems } = await open(context, pathToFileURL(p.html).href);
      assert.equal(await page.locator('#verdict').textContent(), 'Valid');
      assert.ok(await page.locator('svg.timeline').isVisible());
      assert.ok(await page.locator('svg.latency polyline.q').first().isVisible());
      await page.screenshot({ path: join(dir, 'report-big.png'), fullPage: false });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
