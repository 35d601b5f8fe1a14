/**
 * The HTML report: one self-contained file, readable offline, with JavaScript off, and printed.
 *
 * Order follows what a reader asks: did it pass (verdict), who says so (checker cards), what happened when
 * (timeline with faults and blamed ops), why it failed (counterexample, cycles, blamed ops), and the figures
 * (convergence, latency, fault coverage). Everything is rendered here in Node; the small inline script only adds
 * filtering. A Content-Security-Policy forbids every network request and every script but ours, so even a value
 * that slipped past escaping could neither run nor phone home.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CheckResult, Results } from '../../harness/core/checker.ts';
import type { IndexedOp } from '../../harness/core/op.ts';
import { readResults } from '../results-input.ts';
import { runMeta, type RunMeta } from '../run-meta.ts';
import { blamedLines } from './anomaly.ts';
import { hasAvailability, renderAvailability } from './availability.ts';
import { renderBlamedTable } from './blamed-table.ts';
import { renderConvergence } from './convergence.ts';
import { renderCounterexample } from './counterexample.ts';
import { renderCoverage } from './coverage.ts';
import { renderElle } from './elle.ts';
import { renderProblemLists } from './problem-lists.ts';
import { esc } from './escape.ts';
import { faultWindows } from './fault-windows.ts';
import { plural } from './format.ts';
import { jsonTree } from './json-tree.ts';
import { runDetails } from './run-details.ts';
import { favicon, header } from './header.ts';
import { card, slug } from './cards.ts';
import { renderContract } from './contract.ts';
import { hasStaleReads, renderStaleReads } from './stale-reads.ts';
import { renderLatencyChart } from './latency.ts';
import { latencyTableHtml, legendLatency } from './latency-section.ts';
import { opSpans, spansByLine } from './spans.ts';
import { renderThroughput } from './throughput.ts';
import { renderTimeline, type TimelineOptions } from './timeline.ts';
import { embedTimelineData, timelineData } from './timeline-data.ts';
import { faultHue } from './fault-shading.ts';
import { checkerSummary, verdictClass, verdictWord } from './verdict.ts';
import { byText } from './text-order.ts';

export interface ReportInput {
  history: readonly IndexedOp[];
  results: Results;
  /** run.json, as written or as read back from disk; unknown fields are ignored. */
  run?: RunMeta | Record<string, unknown>;
}

export interface RenderOptions {
  timeline?: TimelineOptions;
}

const asset = (name: string): string => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

const isLinearizable = (name: string, r: CheckResult): boolean => name.startsWith('linearizab') || r.counterexample !== undefined;
const isElle = (name: string, r: CheckResult): boolean => name.startsWith('elle') || (r.anomalies !== undefined && r.anomalyTypes !== undefined);
const isConvergence = (name: string, r: CheckResult): boolean => name === 'convergence' || (Array.isArray(r.windows) && r.keys !== undefined);

export function renderReport(input: ReportInput, opts: RenderOptions = {}): string {
  const run = runMeta(input.run);
  if (!Array.isArray(input.history)) throw new TypeError(`renderReport: history must be an array of ops (got ${typeof input.history})`);
  const results = readResults(input.results);
  const history = input.history;
  const sp = opSpans(history);
  const faults = faultWindows(history);
  const blamed = blamedLines(results);
  const byLine = spansByLine(sp.spans);
  const timeline = renderTimeline(sp, faults, blamed, opts.timeline);
  const latency = renderLatencyChart(sp, faults, blamed);
  const vclass = verdictClass(results.valid);
  // With a contract, the promises' cards come first and the measurements' after them, each group failures first.
  const measured = new Set(results.contract ? results.measurements ?? [] : []);
  const group = (n: string): number => (measured.has(n) ? 1 : 0);
  const checkers = Object.entries(results.checkers).sort(([a, ra], [b, rb]) => group(a) - group(b) || rank(ra) - rank(rb) || byText(a, b));

  const css = asset('report.css');
  // One script, so the page's policy names exactly one hash.
  const js = `${asset('report.js')}\n${asset('timeline.js')}`;
  const scriptHash = createHash('sha256').update(js).digest('base64');
  const title = `${verdictWord(results.valid)} · ${run.name ?? run.workload ?? 'Rift run'}`;

  const sections: string[] = [];
  const probes = sp.spans.reduce((n, s) => n + (s.invoke.meta?.probe === true ? 1 : 0), 0);
  const top = header(run, results, history, { client: sp.spans.length - probes, probes }, faults.windows.length);
  const navItems: [string, string][] = [];
  const section = (id: string, h: string, body: string, short = h): string => {
    navItems.push([id, short]);
    return `<section id="${esc(id)}"><h2>${esc(h)}</h2>${body}</section>`;
  };
  const contract = renderContract(results);
  if (contract) {
    navItems.push(['contract', 'Contract']);
    sections.push(contract);
  }
  sections.push(section('checkers', 'Checkers', `<div class="cards">${checkers.map(([n, r]) => card(n, r, measured.has(n))).join('')}</div>`));

  const modeNote =
    timeline.mode === 'ops'
      ? `Each bar is one operation, from invoke to completion; lanes are client threads (a process id retired after a timeout hands its lane to the next), grouped by region.`
      : `${plural(sp.spans.length, 'operation')} are too many to draw one by one: each region shows completions per time bucket, stacked by outcome. Blamed operations are still marked individually.`;
  sections.push(
    section(
      'timeline',
      'Timeline',
      `<p class="note">${modeNote} Shaded bands are fault windows, from the moment a fault took effect to the moment it was undone; ✕ marks a fault that failed to apply. Red triangles mark operations a checker blames. Hover for details.</p>` +
        legend(faults.windows.map((w) => w.kind)) +
        `<div id="tl-app" class="tl-app" hidden><h3>Every operation</h3><p class="note">Drag across the timeline or the whole-run strip to zoom into a time window; the buttons and the keyboard zoom, pan and move between operations. Ok is a solid bar, fail a hollow one, info a striped one.</p></div>` +
        embedTimelineData(timelineData(sp, faults, blamed)) +
        `<h3 class="tl-static-h">Whole run</h3><div class="scroll">${timeline.svg}</div>` +
        (sp.oddLines.length ? `<p class="warn">${plural(sp.oddLines.length, 'event')} did not fit the pairing rules (lines ${esc(sp.oddLines.slice(0, 10).join(', '))}${sp.oddLines.length > 10 ? ', …' : ''}).</p>` : ''),
    ),
  );

  const why: string[] = [];
  const { html: blamedTable, anchors } = renderBlamedTable(blamed, byLine, history);
  if (blamedTable) why.push(`<h3>Blamed operations</h3><div class="filter-slot" data-for="blamed"></div><div class="scroll">${blamedTable}</div>`);
  for (const [n, r] of checkers) {
    if (r?.valid === true) continue;
    if (isLinearizable(n, r) && r.counterexample !== undefined) why.push(`<h3>${esc(n)}: counterexample</h3>${renderCounterexample(r, anchors, sp.spans)}`);
    else if (isElle(n, r)) why.push(`<h3>${esc(n)}: dependency cycles</h3>${renderElle(r, anchors)}`);
    else if (r?.valid === false && !isConvergence(n, r)) {
      const lists = renderProblemLists(r, anchors);
      if (lists) why.push(`<h3>${esc(n)}: ${esc(checkerSummary(n, r))}</h3>${lists}`);
    }
  }
  if (why.length) sections.push(section('why', 'Why', why.join('')));

  for (const [n, r] of checkers) if (isConvergence(n, r)) sections.push(section(`convergence-${slug(n)}`, n === 'convergence' ? 'Convergence' : `Convergence (${n})`, renderConvergence(r, faults.windows), 'Convergence'));

  const stale = checkers.filter(([, r]) => r && hasStaleReads(r));
  if (stale.length) sections.push(section('stale-reads', 'Stale reads', renderStaleReads(stale), 'Staleness'));

  const availability = checkers.find(([, r]) => r && hasAvailability(r));
  const tput = renderThroughput(sp, faults);
  const kinds = faults.windows.map((w) => w.kind);
  if (tput || availability)
    sections.push(
      section(
        'throughput',
        'Throughput and availability',
        (tput ? `<p class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail <span class="sw info"></span>info ${faultSwatches(kinds)}· completions per second, by completion time</p><div class="scroll">${tput}</div>` : '') +
          (availability ? renderAvailability(availability[1]) : ''),
        'Throughput',
      ),
    );
  sections.push(section('latency', 'Latency', latencyTableHtml(sp.spans) + (latency.svg ? legendLatency(latency.mode) + (kinds.length ? `<p class="legend">${faultSwatches(kinds)}</p>` : '') + `<div class="scroll">${latency.svg}</div>` : '<p class="note">No completed operations.</p>')));
  sections.push(section('faults', 'Fault coverage', renderCoverage(run, faults, sp.t1), 'Faults'));
  sections.push(section('details', 'Checker results', checkers.map(([n, r]) => `<details class="raw" id="raw-${slug(n)}"><summary>${esc(n)} <span class="chip ${verdictClass(r?.valid)}">${esc(verdictWord(r?.valid))}</span></summary>${jsonTree(r, { openDepth: 1 })}</details>`).join(''), 'Results'));
  sections.push(section('run', 'Run', runDetails(run)));

  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<link rel="icon" href="${favicon(vclass)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${css}</style></head>`,
    `<body class="v-${vclass}">`,
    `<nav>${navItems.map(([id, t]) => `<a href="#${esc(id)}">${esc(t)}</a>`).join('')}</nav>`,
    `<main>${top}${sections.join('\n')}</main>`,
    `<footer>Rift report · ${plural(history.length, 'history event')} · rendered server-side; works without JavaScript.</footer>`,
    `<script>${js}</script>`,
    '</body></html>',
  ].join('\n');
}

const rank = (r: CheckResult | undefined): number => (r?.valid === false ? 0 : r?.valid === true ? 2 : 1);


/** One swatch per fault kind present, in its band colour, so no band's meaning is guessed. */
function faultSwatches(kinds: readonly string[]): string {
  return [...new Set(kinds)].sort().map((k) => `<span class="sw fk" style="background:hsl(${faultHue(k)} 70% 55% / .35);border-color:hsl(${faultHue(k)} 65% 50%)"></span>${esc(k)} window `).join('');
}

/** Every colour the timeline uses. */
function legend(kinds: readonly string[]): string {
  return `<p class="legend"><span class="sw ok"></span>ok <span class="sw fail"></span>fail (did not happen) <span class="sw info"></span>info (unknown outcome) ${kinds.length ? faultSwatches(kinds) : '<span class="sw fw"></span>fault window '}<span class="sw blamed"></span>blamed by a checker</p>`;
}
