/**
 * The suite page (index.html beside summary.json): one self-contained HTML file, no scripts, with the gate table:
 * a row per run, a column per gate, each cell the run's figure, coloured by verdict, with the gate's sentence as
 * its tooltip, and a link to the run's report.
 */
import { relative } from 'node:path';
import { xmlEscape as esc } from '../../reports/junit.ts';
import type { GateName } from './gates.ts';
import type { SuiteSummary } from './summary.ts';

const GATE_ORDER: readonly GateName[] = ['contract', 'fault coverage', 'convergence p99', 'availability outside faults', 'achieved rate'];

const CSS = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
.passed,.pass{background:#dff5df}.failed,.fail{background:#fbdcdc}.unknown{background:#fff3cd}.error{background:#f3c6f3}
.skipped{color:#888}code{font-size:12px}h1 .passed,h1 .failed,h1 .unknown,h1 .error{padding:0 .4em;border-radius:3px}`;

const cls = (v: unknown): string => (v === true ? 'pass' : v === false ? 'fail' : 'unknown');

export function renderSuitePage(summary: SuiteSummary, pageDir: string): string {
  const gates = GATE_ORDER.filter((g) => summary.runs.some((r) => r.gates.some((x) => x.gate === g)));
  const rows = summary.runs.map((r) => {
    const cells = gates.map((g) => {
      const v = r.gates.find((x) => x.gate === g);
      return v ? `<td class="${cls(v.passed)}" title="${esc(v.message)}">${esc(v.actual)} <small>(${esc(v.threshold)})</small></td>` : '<td>—</td>';
    });
    const link = r.report ? `<a href="${esc(relative(pageDir, r.report))}">report</a>` : '';
    const note = r.error ? `<br><small>${esc(r.error)}</small>` : '';
    return `<tr><td>${esc(r.project)}</td><td>${r.seed}</td><td class="${r.status}">${r.status}${note}</td>${cells.join('')}<td>${link}</td><td><code>${esc(r.rerun)}</code></td></tr>`;
  });
  const c = summary.counts;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rift suite ${esc(summary.suite)}: ${summary.status}</title><style>${CSS}</style></head>
<body>
<h1>Suite ${esc(summary.suite)}: <span class="${summary.status}">${summary.status}</span> (exit ${summary.exitCode})</h1>
<p>${summary.runs.length} runs: ${c.passed} passed, ${c.failed} failed, ${c.unknown} unknown, ${c.error} errors, ${c.skipped} skipped.
Started ${esc(summary.startedAt)}, took ${(summary.durationMs / 1000).toFixed(0)} s${summary.shard ? `, shard ${summary.shard.index}/${summary.shard.count}` : ''}${summary.bugs.length ? `, bug switches on: ${esc(summary.bugs.join(', '))}` : ''}. Config: <code>${esc(summary.config)}</code>.</p>
<table>
<thead><tr><th>project</th><th>seed</th><th>status</th>${gates.map((g) => `<th>${esc(g)}</th>`).join('')}<th></th><th>rerun</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
