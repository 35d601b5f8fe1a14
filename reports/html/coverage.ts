/** Fault coverage: which faults were asked for and which really happened — a run whose faults all failed tests nothing. */
import { rowsForRequest } from '../../harness/core/faults.ts';
import { coverageRows, type CoverageRow, type RunMeta } from '../run-meta.ts';
import { esc } from './escape.ts';
import { coverageFromHistory, type FaultTimeline } from './fault-windows.ts';
import { describeWindow } from './fault-shading.ts';

export function coverageOf(run: RunMeta, faults: FaultTimeline): { rows: CoverageRow[]; source: 'run.json' | 'history' } {
  const rows = coverageRows(run.faults);
  if (rows) return { rows, source: 'run.json' };
  return { rows: Object.entries(coverageFromHistory(faults)).map(([kind, c]) => ({ kind, ...c })), source: 'history' };
}

export function renderCoverage(run: RunMeta, faults: FaultTimeline, t1: number): string {
  const { rows, source } = coverageOf(run, faults);
  const asked = (run.nemesis ?? []).filter((name) => rowsForRequest(name, rows).length === 0);
  let out = '';
  if (rows.length === 0 && asked.length === 0) return '<p class="note">No faults were injected in this run.</p>';
  out += `<table class="grid"><thead><tr><th>fault</th><th>target</th><th class="num">asked</th><th class="num">took effect</th><th class="num">failed</th><th></th></tr></thead><tbody>`;
  for (const r of rows) {
    const status = r.tookEffect > 0 ? '<span class="chip good">exercised</span>' : '<span class="chip bad">never took effect</span>';
    out += `<tr class="${r.tookEffect > 0 ? '' : 'bad'}"><td>${esc(r.kind)}</td><td>${esc(r.target ?? '')}</td><td class="num">${r.asked}</td><td class="num">${r.tookEffect}</td><td class="num">${r.failed}</td><td>${status}</td></tr>`;
  }
  for (const k of asked) out += `<tr class="bad"><td>${esc(k)}</td><td></td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td><span class="chip bad">never asked</span></td></tr>`;
  out += `</tbody></table><p class="note">Source: ${source}.</p>`;
  if (faults.windows.length) {
    out += '<details><summary>All fault windows</summary><ol class="windows">';
    for (const w of faults.windows) out += `<li>${esc(describeWindow(w, t1))}</li>`;
    out += '</ol></details>';
  }
  if (faults.failed.length) {
    out += '<details><summary>Faults that did not take effect</summary><ul>';
    for (const f of faults.failed) out += `<li>line ${f.line}: ${esc(f.f)}${f.target ? ` ${esc(f.target)}` : ''} — ${esc(f.why)}</li>`;
    out += '</ul></details>';
  }
  return out;
}
