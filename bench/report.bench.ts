/**
 * Rendering a large run's report: a generated 1,000,000-operation history (3 regions, a half-second partition every second, a
 * non-linearizable key whose counterexample blames operations) through renderReport, next to JSON.stringify of the
 * same history as the reference, plus file size. Then, in Chromium through Playwright: time from navigation until
 * the interactive timeline is ready, and the time of zoom steps (a key press on the timeline, drawn synchronously),
 * next to JSON.parse of the embedded data in the same page as the reference.
 *
 *   node --import tsx bench/report.bench.ts [--ops N] [--no-browser]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '../test/reports/browser.ts';
import type { Op } from '../harness/core/op.ts';
import { indexOps } from '../harness/history/reader.ts';
import { seededRandom } from '../harness/core/random.ts';
import { renderReport } from '../reports/html/page.ts';
import { computeStats } from '../checkers/stats.ts';

const { values } = parseArgs({ options: { ops: { type: 'string' }, 'no-browser': { type: 'boolean' } } });
const N = Number(values.ops ?? 1_000_000);
const regions = ['us-east', 'eu-west', 'ap-south'];
const rnd = seededRandom(7);

const ops: Op[] = [];
let t = 0;
for (let i = 0; i < N; i++) {
  const p = i % 30;
  t += 100_000;
  const f = rnd() < 0.5 ? 'read' : 'write';
  const key = `k${Math.floor(rnd() * 8)}`;
  ops.push({ type: 'invoke', process: p, f, key, value: f === 'read' ? null : i, time: t, region: regions[p % 3] });
  ops.push({ type: rnd() < 0.97 ? 'ok' : 'info', process: p, f, key, value: i, time: t + Math.floor(rnd() * 2.9e6), region: regions[p % 3] });
  if (i % 5000 === 0) {
    ops.push({ type: 'invoke', process: 'nemesis', f: i % 10000 === 0 ? 'partition' : 'heal', value: null, time: t });
    ops.push({ type: 'info', process: 'nemesis', f: i % 10000 === 0 ? 'partition' : 'heal', value: 'isolated us-east', time: t + 1, meta: { tookEffect: true } });
  }
}
ops.sort((a, b) => a.time - b.time);
const history = indexOps(ops);
const results = {
  valid: false as const,
  checkers: {
    stats: computeStats(history),
    linearizable: {
      valid: false as const,
      reason: 'key k1: read k1 → 5 cannot be linearized',
      counterexample: {
        key: 'k1',
        longestPrefix: [{ line: 499, completeLine: 503, op: 'write k1 4', state: '4' }],
        prefixLength: 1,
        cannotPlace: { line: 501, completeLine: 509, op: 'read k1 → 5' },
        statesReached: ['4'],
        message: 'key k1: read k1 → 5 (line 501–509) cannot be linearized',
      },
    },
  },
};

const time = (fn: () => unknown) => {
  const t0 = performance.now();
  const out = fn();
  return { ms: performance.now() - t0, out };
};
const ref = time(() => JSON.stringify(history));
const html = time(() => renderReport({ history, results, run: { name: 'bench', regions } }));
console.log(`history: ${N} operations (${history.length} events)`);
console.log(`JSON.stringify(history): ${ref.ms.toFixed(0)} ms, ${((ref.out as string).length / 1e6).toFixed(1)} MB`);
console.log(`renderReport: ${html.ms.toFixed(0)} ms, file ${(Buffer.byteLength(html.out as string) / 1e6).toFixed(2)} MB`);
console.log(`ratio render / stringify: ${(html.ms / ref.ms).toFixed(2)}`);
console.log(`peak RSS: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);

if (!values['no-browser']) {
  const dir = mkdtempSync(join(tmpdir(), 'rift-report-bench-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html.out as string);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 600_000 });
    await page.waitForSelector('#tl-app[data-ready]', { state: 'attached', timeout: 600_000 });
    const wall = performance.now() - t0;
    // data-ready is performance.now() inside the page: milliseconds since navigation started.
    const ready = Number(await page.getAttribute('#tl-app', 'data-ready'));
    const parseRef = (await page.evaluate(`(() => { const t = performance.now(); JSON.parse(document.getElementById('timeline-data').content.textContent); return performance.now() - t; })()`)) as number;
    const steps: number[] = [];
    for (const key of ['+', '+', '+', '+', '+', '-', '-', '-', '-', '-', '+', '-']) {
      steps.push((await page.evaluate(`(() => { const c = document.querySelector('.tl-canvas'); const t = performance.now(); c.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(key)}, bubbles: true })); return performance.now() - t; })()`)) as number);
    }
    console.log(`zoom steps in order (ms): ${steps.map((x) => x.toFixed(1)).join(', ')}`);
    steps.sort((p, q) => p - q);
    const median = steps[steps.length >> 1];
    console.log(`Chromium: interactive ${ready.toFixed(0)} ms after navigation started (goal < 2000 ms; ${wall.toFixed(0)} ms wall from goto), JSON.parse of the embedded data ${parseRef.toFixed(0)} ms (reference)`);
    console.log(`zoom step: median ${median.toFixed(1)} ms, max ${steps[steps.length - 1].toFixed(1)} ms over ${steps.length} steps (goal < 100 ms); ratio median / JSON.parse ${(median / parseRef).toFixed(2)}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
