import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { diffRuns } from '../../../harness/store/diff.ts';
import type { StoreIndex } from '../../../harness/store/index-data.ts';
import { readRunRecord } from '../../../harness/store/run-record.ts';
import { launchChromium } from '../../reports/browser.ts';
import { openOffline } from '../../reports/html/offline-page.ts';

const RIFT = resolve('bin/rift.mjs');

/**
 * The smallest real runs that give the store something to show: one local region, no faults, 3 s of a busy set
 * workload (the load the calibration uses to catch skip-version-check without faults).
 */
const CONFIG = {
  projects: [{ name: 'solo-set', workload: 'set', faults: [], regions: ['us-east'], time: { limitS: 3, settleS: 1 }, load: { concurrency: 10, rate: 200 } }],
  suites: { nightly: { projects: ['solo-set'], seeds: { random: 1 } } },
};

const open = openOffline;

describe('the store index in Chromium, after three nightly suite runs', function () {
  this.timeout(180_000);
  let dir: string;
  let store: string;
  let index: StoreIndex;
  let browser: Browser | undefined;
  let context: BrowserContext;
  /** The runs of the three nights, oldest first. */
  let nights: StoreIndex['runs'];
  const exits: (number | null)[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-store-ui-'));
    store = join(dir, 'store');
    writeFileSync(join(dir, 'rift.config.mjs'), `export default ${JSON.stringify(CONFIG)};\n`);
    // Night 2 runs with a layer bug on, so one night fails.
    for (const bugs of [[], ['--bugs', 'skip-version-check'], []]) {
      const r = spawnSync(process.execPath, [RIFT, 'suite', 'nightly', '--config', join(dir, 'rift.config.mjs'), '--store', store, ...bugs], { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 120_000 });
      exits.push(r.status);
      if (r.status !== 0 && r.status !== 1) throw new Error(`rift suite exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    }
    index = JSON.parse(readFileSync(join(store, 'index.json'), 'utf8')) as StoreIndex;
    nights = [...index.runs].reverse();
    browser = await launchChromium();
  });
  beforeEach(async () => { context = await browser!.newContext({ viewport: { width: 1300, height: 900 } }); });
  afterEach(async () => { await context.close(); });
  after(async () => {
    await browser?.close();
    if (process.env.RIFT_KEEP_STORE) console.log(`store kept in ${store}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('the suites passed, failed (bug on) and passed; a passing run deleted its data/, the failing one kept it', () => {
    assert.deepEqual(exits, [0, 1, 0]);
    assert.deepEqual(nights.map((r) => r.verdict), ['pass', 'fail', 'pass']);
    assert.equal(index.suites.length, 3);
    assert.equal(existsSync(join(store, nights[0].id, 'data')), false);
    assert.equal(existsSync(join(store, nights[1].id, 'data', 'us-east')), true);
    assert.ok(JSON.parse(readFileSync(join(store, nights[0].id, 'run.json'), 'utf8')).dataBound.dataDeleted);
  });

  it('lists every run with its verdict, target, workload, faults, seed, duration and report, fetching nothing', async () => {
    const { page, problems } = await open(context, pathToFileURL(join(store, 'index.html')).href);
    const rows = page.locator('#runs-table tbody tr');
    assert.equal(await rows.count(), 3);
    const cells = await rows.nth(1).locator('td').allInnerTexts();
    const run = index.runs[1];
    assert.deepEqual(cells.slice(2, 9), [run.name, 'fail', 'local', 'set', 'none', run.seed, `${run.figures.durationS} s`]);
    assert.equal(await rows.nth(1).locator('a.report').getAttribute('href'), `${run.id}/report.html`);
    assert.deepEqual(problems, []);
  });

  it('filters by verdict, fault, seed, name and duration, and counts what is left', async () => {
    const { page, problems } = await open(context, pathToFileURL(join(store, 'index.html')).href);
    const visible = async () => Promise.all((await page.locator('#runs-table tbody tr:visible').all()).map((tr) => tr.getAttribute('data-id')));
    assert.equal(await page.locator('#shown').innerText(), '3 of 3 runs shown');
    await page.selectOption('#f-verdict', 'fail');
    assert.deepEqual(await visible(), [nights[1].id]);
    assert.equal(await page.locator('#shown').innerText(), '1 of 3 runs shown');
    await page.selectOption('#f-verdict', 'pass');
    assert.deepEqual((await visible()).sort(), [nights[0].id, nights[2].id].sort());
    await page.selectOption('#f-verdict', '');
    await page.selectOption('#f-fault', '(none)');
    assert.equal((await visible()).length, 3, 'no run had faults');
    await page.fill('#f-seed', nights[2].seed!);
    assert.deepEqual(await visible(), [nights[2].id]);
    await page.fill('#f-seed', '');
    await page.fill('#f-min', '100000');
    assert.deepEqual(await visible(), []);
    await page.click('button[type=reset]');
    await page.waitForFunction(`document.getElementById('shown').textContent === '3 of 3 runs shown'`);
    await page.selectOption('#f-name', 'solo-set');
    await page.selectOption('#f-workload', 'set');
    await page.selectOption('#f-target', 'local');
    assert.equal((await visible()).length, 3);
    assert.deepEqual(problems, []);
  });

  it('draws the trends of the project, and a point of a chart leads to the report of the run behind it', async () => {
    const { page, problems } = await open(context, pathToFileURL(join(store, 'index.html')).href);
    const trend = page.locator('#trend-nightly-solo-set');
    assert.match(await trend.locator('h3').innerText(), /nightly · solo-set\s+3 suite runs/);
    const passRate = await trend.locator('#trend-nightly-solo-set-pass-rate circle title').allTextContents();
    assert.deepEqual(passRate.map((t) => t.replace(/^.*: /, '')), ['1 of 1 passed', '0 of 1 passed', '1 of 1 passed']);
    assert.equal(await trend.locator('#trend-nightly-solo-set-pass-rate a').first().getAttribute('href'), index.suites.at(-1)!.page);
    for (const chart of ['latency-p99', 'achieved-rate']) {
      assert.equal(await trend.locator(`#trend-nightly-solo-set-${chart} a`).count(), 3, chart);
    }
    assert.equal(await trend.locator('#trend-nightly-solo-set-availability a').count(), 3, 'outside faults only: there were no fault windows');
    assert.match(await trend.locator('#trend-nightly-solo-set-convergence-time').innerHTML(), /not measured/);
    // The middle point of the latency chart is night 2's run: one click lands on its report.
    const point = trend.locator('#trend-nightly-solo-set-latency-p99 a').nth(1);
    assert.equal(await point.getAttribute('href'), `${nights[1].id}/report.html`);
    await Promise.all([page.waitForURL(/report\.html$/), point.click()]);
    assert.equal(page.url(), pathToFileURL(join(store, nights[1].id, 'report.html')).href);
    assert.match(await page.locator('#verdict').innerText(), /broken/i);
    assert.deepEqual(problems, []);
  });

  it('compares two picked runs in the page, with the rows rift diff computes', async () => {
    const { page, problems } = await open(context, pathToFileURL(join(store, 'index.html')).href);
    assert.ok(await page.locator('#compare').isDisabled());
    const pick = (id: string) => page.locator(`#runs-table tr[data-id="${id}"] .pick`).check();
    await pick(nights[1].id);
    await pick(nights[0].id);
    await page.click('#compare');
    const view = page.locator('#diff');
    assert.ok(await view.isVisible());
    const expected = diffRuns(readRunRecord(join(store, nights[0].id)), readRunRecord(join(store, nights[1].id)));
    const rowsOf = async (table: string, cols: number) =>
      (await view.locator(`#${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.firstChild?.textContent ?? ''))))
        .map((r) => r.slice(0, cols));
    assert.deepEqual(await rowsOf('diff-spec', 3), expected.spec.filter((r) => r.changed).map((r) => [r.key, r.a ?? '(absent)', r.b ?? '(absent)']));
    assert.deepEqual(await rowsOf('diff-verdicts', 3), expected.verdicts.filter((r) => r.changed).map((r) => [r.key, r.a ?? '(absent)', r.b ?? '(absent)']));
    assert.deepEqual(await rowsOf('diff-figures', 3), expected.figures.map((r) => [r.label, r.a ?? '(absent)', r.b ?? '(absent)']));
    assert.ok(expected.spec.some((r) => r.key === 'bugs' && r.changed), 'night 2 ran with a bug switch on');
    assert.ok(expected.verdicts.some((r) => r.key === 'verdict' && r.a === 'pass' && r.b === 'fail'));
    assert.match(await view.locator('ul.runs').innerText(), new RegExp(`A: ${nights[0].id} pass[^]*B: ${nights[1].id} fail`));
    // The comparison has an address: reopening it shows the same view.
    assert.match(page.url(), /#compare=/);
    const again = await context.newPage();
    await again.goto(page.url());
    assert.equal(await again.locator('#diff-verdicts tbody tr').count(), expected.verdicts.filter((r) => r.changed).length);
    assert.deepEqual(problems, []);
  });

  it('rift diff --out writes a diff page whose links lead to both reports', async () => {
    const out = join(dir, 'diff.html');
    const r = spawnSync(process.execPath, [RIFT, 'diff', join(store, nights[1].id), join(store, nights[2].id), '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { page, problems } = await open(context, pathToFileURL(out).href);
    assert.match(await page.locator('h1').innerText(), /What changed from A to B/);
    const verdict = page.locator('#diff-verdicts tbody tr', { hasText: /^verdict/ });
    assert.deepEqual((await verdict.locator('td').allInnerTexts()).map((t) => t.trim()), ['verdict', 'fail', 'pass']);
    assert.ok(await page.locator('#diff-figures tbody tr').count() >= 4);
    await Promise.all([page.waitForURL(/report\.html$/), page.locator('ul.runs a').first().click()]);
    assert.equal(page.url(), pathToFileURL(join(store, nights[1].id, 'report.html')).href);
    assert.deepEqual(problems, []);
  });
});
