/**
 * store/index.html: every run (verdict, target, workload, faults, seed, duration, a link to its report), the suite
 * runs, and the trend charts of every suite's projects. One self-contained file: the tables and charts are drawn
 * here; the inline script (reports/html/assets/store-index.js) only adds the filters and the compare view, over
 * data embedded in the page. A Content-Security-Policy allows that one script and no request at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { esc } from '../../reports/html/escape.ts';
import { FIGURES } from './figures.ts';
import { formatFigure } from './diff.ts';
import { storeCss } from './diff-page.ts';
import type { IndexRun, StoreIndex } from './index-data.ts';
import { VERDICTS } from './run-record.ts';
import { renderTrendChart } from './trend-chart.ts';
import { buildTrends } from './trends.ts';

const script = (): string => readFileSync(new URL('../../reports/html/assets/store-index.js', import.meta.url), 'utf8');

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const chip = (v: string): string => `<span class="v v-${esc(v)}">${esc(v)}</span>`;
const distinct = (xs: readonly (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => x !== undefined && x !== ''))].sort();

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
const embed = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

function select(id: string, label: string, values: readonly string[]): string {
  return `<label>${esc(label)}<select id="${id}"><option value="">any</option>${values.map((v) => `<option>${esc(v)}</option>`).join('')}</select></label>`;
}

function runRow(r: IndexRun): string {
  const duration = r.figures.durationS;
  const data = {
    'data-id': r.id, 'data-name': r.name, 'data-verdict': r.verdict, 'data-target': r.target ?? '', 'data-workload': r.workload ?? '',
    'data-faults': r.faults.join(' '), 'data-seed': r.seed ?? '', 'data-duration': duration === undefined ? '' : String(duration),
  };
  const attrs = Object.entries(data).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return `<tr${attrs}><td class="pick-cell"><input type="checkbox" class="pick" aria-label="pick ${esc(r.id)} to compare"></td>` +
    `<td>${esc(r.startedAt?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '')}</td><td>${esc(r.name)}</td><td>${chip(r.verdict)}</td>` +
    `<td>${esc(r.target ?? '')}</td><td>${esc(r.workload ?? '')}</td><td>${r.faults.length ? esc(r.faults.join(', ')) : '<span class="note">none</span>'}</td>` +
    `<td class="num">${esc(r.seed ?? '')}</td><td class="num">${esc(formatFigure('durationS', duration) ?? '')}</td>` +
    `<td>${r.report ? `<a class="report" href="${esc(r.report)}">report</a>` : '<span class="note">no report</span>'}</td></tr>`;
}

function runsSection(index: StoreIndex): string {
  const runs = index.runs;
  const faults = distinct(runs.flatMap((r) => r.faults));
  const filters = `<form class="filters" id="filters" hidden>
${select('f-verdict', 'verdict', VERDICTS.filter((v) => runs.some((r) => r.verdict === v)))}
${select('f-name', 'name', distinct(runs.map((r) => r.name)))}
${select('f-target', 'target', distinct(runs.map((r) => r.target)))}
${select('f-workload', 'workload', distinct(runs.map((r) => r.workload)))}
<label>fault<select id="f-fault"><option value="">any</option><option value="(none)">none</option>${faults.map((f) => `<option>${esc(f)}</option>`).join('')}</select></label>
<label>seed<input type="text" id="f-seed" inputmode="numeric" placeholder="any"></label>
<label>duration ≥ s<input type="number" id="f-min" min="0" step="any"></label>
<label>duration ≤ s<input type="number" id="f-max" min="0" step="any"></label>
<button type="reset">clear</button>
<span class="note" id="shown" role="status"></span>
</form>
<div class="bar" id="compare-bar" hidden><button type="button" id="compare" disabled>Compare the two picked runs</button><span class="note" id="compare-note">pick two runs in the first column</span></div>
<section id="diff" hidden></section>`;
  const counts = VERDICTS.map((v) => [v, runs.filter((r) => r.verdict === v).length] as const).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(', ');
  return `<section id="runs"><h2>Runs</h2><p class="note">${runs.length} run${runs.length === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}. Newest first.</p>
${filters}
<noscript><style>.pick-cell{display:none}</style></noscript>
<table id="runs-table"><thead><tr><th class="pick-cell"></th><th>started</th><th>name</th><th>verdict</th><th>target</th><th>workload</th><th>faults</th><th>seed</th><th>duration</th><th></th></tr></thead>
<tbody>
${runs.map(runRow).join('\n')}
</tbody></table></section>`;
}

function suitesSection(index: StoreIndex): string {
  if (index.suites.length === 0) return `<section id="suites"><h2>Suite runs</h2><p class="note">No suite has run into this store yet (<code>rift suite NAME</code>).</p></section>`;
  const rows = index.suites.map((s) => {
    const judged = s.runs.filter((r) => r.status !== 'skipped');
    const passed = judged.filter((r) => r.status === 'passed').length;
    return `<tr><td>${esc(s.startedAt)}</td><td>${esc(s.suite)}${s.shard ? ` <span class="note">shard ${esc(s.shard)}</span>` : ''}</td><td>${chip(s.status)}</td>` +
      `<td class="num">${passed} of ${judged.length} passed${judged.length < s.runs.length ? ` (${s.runs.length - judged.length} skipped)` : ''}</td>` +
      `<td class="num">${s.durationMs === undefined ? '' : `${Math.round(s.durationMs / 1000)} s`}</td>` +
      `<td>${s.page ? `<a href="${esc(s.page)}">suite page</a>` : ''}</td></tr>`;
  });
  return `<section id="suites"><h2>Suite runs</h2><table id="suites-table"><thead><tr><th>started</th><th>suite</th><th>status</th><th>runs</th><th>took</th><th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

function trendsSection(index: StoreIndex): string {
  const trends = buildTrends(index.suites);
  if (trends.length === 0) return `<section id="trends"><h2>Trends</h2><p class="note">Trends appear once a suite has run.</p></section>`;
  const blocks = trends.map((t) => {
    const id = `trend-${slug(t.suite)}-${slug(t.project)}`;
    return `<div class="project-trend" id="${esc(id)}"><h3>${esc(t.suite)} · ${esc(t.project)} <span class="note">${t.slots.length} suite run${t.slots.length === 1 ? '' : 's'}</span></h3>` +
      `<div class="charts">${t.charts.map((c, i) => renderTrendChart(c, t.slots, `${id}-${slug(c.title)}`)).join('')}</div></div>`;
  });
  return `<section id="trends"><h2>Trends</h2><p class="note">Per suite and project, one slot per suite run, oldest on the left. A dot is a run (its report is one click away); a pass-rate dot links to that night's suite page.</p>
${blocks.join('\n')}</section>`;
}

/** What the compare view needs of each run. */
const compareData = (index: StoreIndex) => ({
  figures: FIGURES,
  runs: index.runs.map((r) => ({ id: r.id, name: r.name, verdict: r.verdict, startedAt: r.startedAt, report: r.report, spec: r.spec, verdicts: r.verdicts, figures: r.figures })),
});

export function renderIndexPage(index: StoreIndex, store: string): string {
  const js = script();
  const hash = createHash('sha256').update(js).digest('base64');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rift store: ${index.runs.length} runs</title><style>${storeCss()}</style></head>
<body>
<h1>Rift store</h1>
<p class="note"><code>${esc(store)}</code> · generated ${esc(index.generatedAt)} · regenerated after every run, suite and prune.</p>
<nav><a href="#runs">Runs</a><a href="#suites">Suite runs</a><a href="#trends">Trends</a></nav>
${runsSection(index)}
${suitesSection(index)}
${trendsSection(index)}
<script type="application/json" id="store-data">${embed(compareData(index))}</script>
<script>${js}</script>
</body></html>
`;
}
