/**
 * Convergence: whether every region ended in the same admissible state (per key), and — from the probes — how long
 * after each fault window the regions caught up, with bounds, broken down by fault kind. The bar in each row makes
 * slow heals stand out at a glance. Window times come from the history's nemesis ops, matched by line.
 */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';
import type { FaultWindow } from './fault-windows.ts';
import { at, durationMs, plural, text } from './format.ts';
import { jsonTree } from './json-tree.ts';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ms = (v: unknown): string => (num(v) === undefined ? '?' : durationMs(v as number));

interface Row {
  kind: string;
  window: string;
  lower?: number;
  upper?: number;
  status: 'converged' | 'not-converged' | 'never-healed';
  note: string;
}

function rows(r: CheckResult, faults: readonly FaultWindow[]): Row[] {
  const windows = Array.isArray(r.windows) ? r.windows.map((w) => rec(w) ?? {}) : [];
  return windows.map((w): Row => {
    const match = faults.find((f) => f.effectLine === w.startLine || f.startLine === w.startLine || (w.endLine !== undefined && f.endLine === w.endLine));
    const start = num(w.start) ?? match?.start;
    const end = num(w.end) ?? match?.end;
    const window = start !== undefined ? `${at(start)} → ${end !== undefined ? at(end) : 'end'}` : `lines ${text(w.startLine)}–${text(w.endLine ?? '?')}`;
    const b = Array.isArray(w.bounds) ? w.bounds : [];
    const lower = num(w.lowerMs) ?? num(b[0]) ?? num(rec(w.bounds)?.lower);
    const upper = num(w.upperMs) ?? num(w.convergedAfterMs) ?? num(b[1]) ?? num(rec(w.bounds)?.upper);
    const status = w.status === 'never-healed' ? 'never-healed' : w.status === 'not-converged' || w.converged === false ? 'not-converged' : 'converged';
    const notes: string[] = [];
    if (Array.isArray(w.lagging) && w.lagging.length) notes.push(`lagging: ${w.lagging.map((x) => text(x, 30)).join(', ')}`);
    if (w.overlapsNextFault) notes.push('the next fault began before convergence');
    return { kind: text(w.kind ?? match?.kind ?? '?', 40), window, lower, upper, status, note: notes.join('; ') };
  });
}

const CHIP: Record<Row['status'], string> = {
  converged: '<span class="chip good">converged</span>',
  'not-converged': '<span class="chip bad">not converged</span>',
  'never-healed': '<span class="chip unknown">never healed</span>',
};

export function renderConvergence(r: CheckResult, faults: readonly FaultWindow[]): string {
  let out = typeof r.reason === 'string' ? `<p>${esc(r.reason)}</p>` : '';
  const rs = rows(r, faults);
  if (rs.length) {
    const max = Math.max(1, ...rs.map((x) => x.upper ?? 0));
    out += '<h3>After each fault window</h3><table class="grid"><thead><tr><th>#</th><th>fault</th><th>window</th><th>converged within</th><th class="num">bounds</th><th></th><th></th></tr></thead><tbody>';
    rs.forEach((x, i) => {
      const bar = x.upper === undefined ? '' : `<span class="bar" style="width:${((x.upper / max) * 100).toFixed(1)}%"></span>`;
      out += `<tr class="${x.status === 'converged' ? '' : 'bad'}"><td>${i + 1}</td><td>${esc(x.kind)}</td><td>${esc(x.window)}</td>`;
      out += `<td class="num barcell">${bar}<span>${x.upper === undefined ? '—' : esc(durationMs(x.upper))}</span></td><td class="num">${x.lower === undefined && x.upper === undefined ? '' : `${esc(ms(x.lower))} – ${esc(ms(x.upper))}`}</td>`;
      out += `<td>${CHIP[x.status]}</td><td class="note">${esc(x.note)}</td></tr>`;
    });
    out += '</tbody></table>';
  }
  const byKind = rec(r.byKind);
  if (byKind && Object.keys(byKind).length) {
    out += '<h3>By fault kind</h3><table class="grid"><thead><tr><th>fault</th><th class="num">windows</th><th class="num">converged</th><th class="num">not converged</th><th class="num">never healed</th><th class="num">p50</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>';
    for (const [k, v] of Object.entries(byKind)) {
      const o = rec(v) ?? {};
      const q = rec(o.upperMs) ?? {};
      out += `<tr><td>${esc(k)}</td><td class="num">${esc(text(o.windows ?? ''))}</td><td class="num">${esc(text(o.converged ?? ''))}</td><td class="num">${esc(text(o.notConverged ?? ''))}</td><td class="num">${esc(text(o.neverHealed ?? ''))}</td><td class="num">${num(q.p50) === undefined ? '—' : ms(q.p50)}</td><td class="num">${num(q.p99) === undefined ? '—' : ms(q.p99)}</td><td class="num">${num(q.max) === undefined ? '—' : ms(q.max)}</td></tr>`;
    }
    out += '</tbody></table><p class="note">Times are upper bounds from the probes, from the end of the window until every region had applied every origin\'s log as of just after it.</p>';
  }
  if (!rs.length && !byKind) out += '<p class="note">No per-window convergence figures (the workload ran no convergence probes, or no fault window ended).</p>';
  out += finals(r);
  if (Array.isArray(r.unchecked) && r.unchecked.length) out += `<ul class="note">${r.unchecked.map((u) => `<li>Not checked: ${esc(text(u, 300))}</li>`).join('')}</ul>`;
  return out;
}

/** Final-read agreement: keys whose regions disagree, converged to a state nothing could produce, or were not read. */
function finals(r: CheckResult): string {
  const f = rec(r.final) ?? r;
  let out = '';
  const divergent = Array.isArray(f.divergent) ? f.divergent.map((x) => rec(x) ?? {}) : [];
  const inadmissible = Array.isArray(f.inadmissible) ? f.inadmissible.map((x) => rec(x) ?? {}) : [];
  const missing = Array.isArray(f.missing) ? f.missing.map((x) => rec(x) ?? {}) : [];
  const counts = rec(f.counts) ?? {};
  if (num(f.keys) !== undefined) out += `<p>${plural(num(f.keys)!, 'key')} read at the end; ${num(f.agreed) ?? '?'} agree in every region.</p>`;
  if (divergent.length) {
    out += `<h3>Regions disagree (${plural(num(counts.divergent) ?? divergent.length, 'key')})</h3><table class="grid"><thead><tr><th>key</th><th>region</th><th>final value / difference</th><th class="num">line</th></tr></thead><tbody>`;
    for (const d of divergent) {
      const lines = rec(d.lines) ?? {};
      const per = rec(d.values) ?? rec(d.regions) ?? {};
      const regions = Object.keys({ ...lines, ...per });
      regions.forEach((region, i) => {
        const v = per[region];
        const shown = rec(v) && ('lacks' in rec(v)! || 'extra' in rec(v)!) ? `lacks ${text(rec(v)!.lacks, 80)}, extra ${text(rec(v)!.extra, 80)}` : v === undefined ? '(agrees with the common part)' : text(v, 120);
        out += `<tr class="bad">${i === 0 ? `<td rowspan="${regions.length}"><code>${esc(text(d.key, 60))}</code></td>` : ''}<td>${esc(region)}</td><td><code>${esc(shown)}</code></td><td class="num">${esc(text(lines[region] ?? ''))}</td></tr>`;
      });
    }
    out += '</tbody></table>';
  }
  if (inadmissible.length) {
    out += `<h3>Converged to an impossible state (${plural(num(counts.inadmissible) ?? inadmissible.length, 'key')})</h3><ul>`;
    for (const x of inadmissible) out += `<li><code>${esc(text(x.key, 60))}</code> = <code>${esc(text(x.value, 80))}</code>: ${esc(text(x.reason, 300))}</li>`;
    out += '</ul>';
  }
  if (missing.length) out += `<p class="warn">${num(counts.missing) ?? missing.length} keys lack a final read in some region, e.g. <code>${esc(text(missing[0].key, 60))}</code> in ${esc(text(missing[0].regions, 80))}.</p>`;
  const legacy = rec(r.keys);
  if (legacy) {
    const bad = Object.entries(legacy).filter(([, v]) => rec(v)?.valid === false || rec(v)?.agree === false);
    out += `<p>${Object.keys(legacy).length} keys read in every region at the end; ${bad.length ? `<strong>${bad.length} disagree</strong>` : 'all agree'}.</p>`;
    for (const [k, v] of bad.slice(0, 20)) out += `<div class="keydiff"><code>${esc(text(k, 80))}</code>${jsonTree(v, { openDepth: 2 })}</div>`;
  }
  return out;
}
