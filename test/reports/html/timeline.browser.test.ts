import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Results } from '../../../harness/core/checker.ts';
import type { IndexedOp, Op } from '../../../harness/core/op.ts';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { writeReports } from '../../../reports/write.ts';
import { launchChromium } from '../browser.ts';
import { indexed, largeRun } from '../history-fixture.ts';

/** The op the synthetic checker blames: a client invoke inside the partition of largeRun (3 s – 6 s). */
function blamedInPartition(history: readonly IndexedOp[]): IndexedOp {
  const op = history.find((o) => o.type === 'invoke' && o.process !== 'nemesis' && o.time > 4.5e9);
  assert.ok(op);
  return op;
}

describe('reports/html interactive timeline in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let dir: string;
  let url: string;
  let blamed: IndexedOp;
  let prefixLine: number;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-timeline-'));
    const history = largeRun(70_000);
    blamed = blamedInPartition(history);
    // The op before it on the same key, completed: the longest order the (synthetic) checker found ends with it.
    const before = [...history].reverse().find((o) => o.type === 'ok' && o.key === blamed.key && o.time < blamed.time)!;
    const beforeInvoke = [...history].reverse().find((o) => o.type === 'invoke' && o.process === before.process && o.line < before.line)!;
    prefixLine = beforeInvoke.line;
    const counterexample = {
      key: blamed.key,
      longestPrefix: [{ line: beforeInvoke.line, completeLine: before.line, op: `${before.f} ${before.key}`, state: 'S-before' }],
      prefixLength: 1,
      cannotPlace: { line: blamed.line, op: `${blamed.f} ${blamed.key}` },
      statesReached: ['S-before'],
      message: 'synthetic',
    };
    const results: Results = { valid: false, checkers: { linearizable: { valid: false, counterexample, partitions: { [blamed.key!]: { valid: false, counterexample } } } } };
    const p = await writeReports(dir, { history, results, run: { name: 'timeline' } });
    url = pathToFileURL(p.html).href;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it('without JavaScript shows the static summary and no dead controls', async () => {
    const off = await browser!.newContext({ javaScriptEnabled: false });
    try {
      const p = await off.newPage();
      await p.goto(url);
      assert.ok(await p.locator('svg.timeline').isVisible());
      assert.equal(await p.locator('#tl-app').isVisible(), false);
      assert.equal(await p.locator('.tl-canvas').count(), 0);
    } finally {
      await off.close();
    }
  });

  beforeEach(async function () {
    if (this.currentTest?.title.startsWith('without JavaScript')) return;
    context = await browser!.newContext({ viewport: { width: 1240, height: 900 } });
    problems = [];
    await context.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : (problems.push(route.request().url()), route.abort())));
    page = await context.newPage();
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('#tl-app[data-ready]');
  });
  afterEach(async function () {
    if (this.currentTest?.title.startsWith('without JavaScript')) return;
    await context.close();
    assert.deepEqual(problems, []);
  });

  const view = async (): Promise<[number, number]> => (await page.getAttribute('#tl-app', 'data-view'))!.split(',').map(Number) as [number, number];

  it('zooms into the fault window by brushing the whole-run strip and finds the blamed operation there', async () => {
    const box = (await page.locator('.tl-overview').boundingBox())!;
    const span = await page.evaluate(`JSON.parse(document.getElementById('timeline-data').content.textContent).span`);
    const fault = await page.evaluate(`JSON.parse(document.getElementById('timeline-data').content.textContent).faults[0]`) as { start: number; end: number; kind: string };
    assert.equal(fault.kind, 'partition');
    // The strip maps the run onto [96, width - 8] (the gutter holds the lane labels).
    const px = (u: number): number => box.x + 96 + (u / (span as number)) * (box.width - 104);
    await page.mouse.move(px(fault.start), box.y + 20);
    await page.mouse.down();
    await page.mouse.move(px(fault.end), box.y + 25, { steps: 4 });
    await page.mouse.up();
    const [a, b] = await view();
    assert.ok(a >= fault.start - 0.02 * (span as number) && b <= fault.end + 0.02 * (span as number), `view ${a}–${b} should be the fault window ${fault.start}–${fault.end}`);
    assert.ok(b - a < (span as number) / 2);
    await page.locator('.tl-blamed').check();
    assert.match((await page.locator('.tl-status').textContent())!, /· 1 of 70,000 operations in view \(filtered\)/);
    await page.locator('.tl-canvas').focus();
    await page.keyboard.press('ArrowRight');
    const details = page.locator('.tl-details');
    assert.equal(await details.getAttribute('data-line'), String(blamed.line));
    assert.match((await details.textContent())!, /Blamed.*linearizable: cannot be linearized/);

    // The explorer: from the op's details to its place in the linearization, with the model state.
    await page.locator('.tl-explore').click();
    assert.equal(new URL(page.url()).hash, `#cx-step-${blamed.line}`);
    const step = page.locator(`li:has(> #cx-step-${blamed.line})`);
    assert.ok(await step.isVisible());
    assert.match((await step.textContent())!, /cannot be placed in any state reached: S-before/);
    assert.match((await page.locator('.cx-sentence').textContent())!, new RegExp(`\\(line ${blamed.line}, from [\\d.]+ s to [\\d.]+ s\\) cannot take effect: .*\\(line ${prefixLine}\\) completed at [\\d.]+ s, before it began at [\\d.]+ s, and leaves S-before`));
  });

  it('reaches an operation and its details with the keyboard alone', async () => {
    let onCanvas = false;
    for (let i = 0; i < 60 && !onCanvas; i++) {
      await page.keyboard.press('Tab');
      onCanvas = await page.evaluate(`document.activeElement?.classList.contains('tl-canvas') ?? false`);
    }
    assert.ok(onCanvas, 'Tab reaches the timeline');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const [a, b] = await view();
    assert.ok(b - a < 0.3 * (await page.evaluate(`JSON.parse(document.getElementById('timeline-data').content.textContent).span`) as number), 'plus zooms in');
    await page.keyboard.press('ArrowRight');
    const first = await page.locator('.tl-details').getAttribute('data-line');
    await page.keyboard.press('ArrowRight');
    const second = await page.locator('.tl-details').getAttribute('data-line');
    assert.notEqual(first, second, 'ArrowRight moves to the next operation in the lane');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.ok(await page.evaluate(`document.activeElement?.classList.contains('tl-details') ?? false`), 'Enter moves focus to the details');
    const text = (await page.locator('.tl-details').textContent())!;
    assert.match(text, /Operation(read|write) k\d/);
    assert.match(text, /History lines\d+ → \d+/);
    assert.match(text, /Processp\d+ \((us-east|eu-west|ap-south)\)/);
  });

  it('filters by region, key and outcome, counting what is shown', async () => {
    await page.locator('.tl-region').selectOption('eu-west');
    await page.locator('.tl-key').fill('k3');
    await page.locator('.tl-type').selectOption({ label: 'fail' });
    const m = /([\d,]+) of 70,000 operations in view \(filtered\)/.exec((await page.locator('.tl-status').textContent())!);
    assert.ok(m, 'the status counts the filtered operations');
    const shown = Number(m[1].replace(/,/g, ''));
    assert.ok(shown > 0 && shown < 2000, `${shown} eu-west k3 failures`);
    await page.locator('.tl-canvas').focus();
    await page.keyboard.press('ArrowRight');
    const text = (await page.locator('.tl-details').textContent())!;
    assert.match(text, /Operation(read|write) k3Outcomefail/);
    assert.match(text, /\(eu-west\)/);
  });

  it('shows details of the operation under a click', async () => {
    await page.locator('.tl-canvas').focus();
    await page.keyboard.press('b');
    const line = await page.locator('.tl-details').getAttribute('data-line');
    assert.equal(line, String(blamed.line), 'b jumps to the blamed operation');
    await page.keyboard.press('Escape');
    for (let i = 0; i < 8; i++) await page.keyboard.press('+');
    const box = (await page.locator('.tl-canvas').boundingBox())!;
    // Lane rows start at y = 8 + 16 (region header); the first lane's bars are 1 – 12 px below that.
    await page.mouse.click(box.x + box.width / 2, box.y + 24 + 6);
    assert.match((await page.locator('.tl-details h4').textContent())!, /^Line \d+/);
  });
});

describe('reports/html linearization explorer in Chromium, on the real checker\'s result', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-explorer-'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the explorer from a blamed operation and reads partial linearizations with their states', async () => {
    const MS = 1e6;
    const op = (type: Op['type'], process: number, f: string, value: unknown, ms: number): Op => ({ type, process, f, key: 'x', value, time: ms * MS, region: process === 2 ? 'eu-west' : 'us-east' });
    // write 1 and a read of 1 overlap; a later read in eu-west still returns 0.
    const history = indexed([op('invoke', 0, 'write', 1, 1), op('invoke', 1, 'read', null, 5), op('ok', 1, 'read', 1, 12), op('ok', 0, 'write', 1, 14), op('invoke', 2, 'read', null, 20), op('ok', 2, 'read', 0, 30)]);
    const linearizable = await checkLinearizable(history, { model: 'register', initial: 0, workers: 1 });
    const p = await writeReports(dir, { history, results: { valid: false, checkers: { linearizable } } });
    const page = await browser!.newPage({ viewport: { width: 1240, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(p.html).href);
    await page.waitForSelector('#tl-app[data-ready]');
    await page.locator('.tl-canvas').focus();
    await page.keyboard.press('b');
    assert.equal(await page.locator('.tl-details').getAttribute('data-line'), '5');
    await page.locator('.tl-explore').click();
    const stale = page.locator('details#explore-5');
    assert.equal(await stale.getAttribute('open'), '', 'the link opens the explorer on the operation');
    assert.match((await stale.textContent())!, /fits in no order.*No partial linearization the checker found can take this operation/);
    const write = page.locator('details#explore-1');
    await write.locator('summary').click();
    const steps = await write.locator('ol.steps li').allTextContents();
    assert.equal(steps.length, 2);
    assert.match(steps[0], /^line 1 .*write.*⇒ 1$/);
    assert.match(steps[1], /^line 2 .*read.*⇒ 1$/);
    assert.match((await write.locator('.unplaced').textContent())!, /Could not be placed after it: line 5/);
    assert.match((await page.locator('.cx-sentence').textContent())!, /\(line 5, from 0\.020 s to 0\.030 s\) cannot take effect/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
