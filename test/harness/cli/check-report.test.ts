import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../reports/browser.ts';

const RIFT = resolve('bin/rift.mjs');
const EDN = resolve('fixtures/histories/edn/list-append-lost-update-bad.edn');
const rift = (...args: string[]) => {
  const r = spawnSync(process.execPath, [RIFT, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('rift check --out and rift report on any history (CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-check-report-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.html, results.json and junit.xml for an EDN history, with a graph for every Elle cycle', async () => {
    const out = join(dir, 'out');
    const r = rift('check', EDN, '--checker', 'elle-list-append', '--out', out);
    assert.equal(r.code, 1, r.out + r.err);
    for (const f of ['report.html', 'results.json', 'junit.xml']) assert.ok(existsSync(join(out, f)), f);
    assert.match(r.out, /report: .*report\.html/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const cycles = Object.values(results.checkers['elle-list-append'].anomalies as Record<string, { steps?: unknown[] }[]>).flat().filter((a) => Array.isArray(a.steps));
    assert.ok(cycles.length >= 1);
    const page = await browser!.newPage();
    try {
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      assert.equal(await page.locator('.cycle svg.cycle-graph').count(), cycles.length, 'one graph per cycle');
      const graph = page.locator('svg.cycle-graph').first();
      assert.ok(await graph.isVisible());
      assert.deepEqual(await graph.locator('.edge text').allTextContents(), ['rw', 'ww']);
      assert.deepEqual(await graph.locator('.node text').allTextContents(), ['line 4', 'line 3']);
      assert.match((await graph.locator('.edge title').first().textContent())!, /^line 4 —rw→ line 3: T1 observed the initial \(empty\) state of key :x/);
      const card = (await page.locator('.card').first().textContent())!;
      assert.match(card, /model checkedstrict-serializable/);
      assert.match(card, /ruled outcursor-stability, update-atomic, consistent-view/);
    } finally {
      await page.close();
    }
  });

  it('without --out writes only results.json beside the history', () => {
    const copy = join(dir, 'h.edn');
    writeFileSync(copy, readFileSync(EDN));
    assert.equal(rift('check', copy, '--checker', 'elle-list-append').code, 1);
    assert.ok(existsSync(join(dir, 'results.json')));
    assert.ok(!existsSync(join(dir, 'report.html')));
  });

  it('rift report renders any history file, with the results beside it or none', () => {
    const copy = join(dir, 'h.edn');
    writeFileSync(copy, readFileSync(EDN));
    let r = rift('report', copy, '--out', join(dir, 'bare'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(readFileSync(join(dir, 'bare', 'report.html'), 'utf8'), /No checker ran/);
    assert.equal(rift('check', copy, '--checker', 'elle-list-append').code, 1);
    r = rift('report', copy);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /class="cycle-graph"/);
    r = rift('report', join(dir, 'nope.jsonl'));
    assert.equal(r.code, 65);
    assert.match(r.err, /nope\.jsonl: no such file or directory/);
    assert.equal(rift('report', dir, '--out', dir).code, 64);
  });
});
