/**
 * The diff page (`rift diff A B --out FILE.html`): a self-contained page, no script, with the two runs (linked to
 * their reports), the options that differ, the verdicts that differ and every figure. The index's compare view
 * draws the same tables in the page (reports/html/assets/store-index.js).
 */
import { readFileSync } from 'node:fs';
import { esc } from '../../reports/html/escape.ts';
import type { DiffInput, DiffRow, RunDiff } from './diff.ts';

export const storeCss = (): string => readFileSync(new URL('../../reports/html/assets/store.css', import.meta.url), 'utf8');

const chip = (v: string | undefined): string => (v === undefined ? '<span class="note">(absent)</span>' : `<span class="v v-${esc(v)}">${esc(v)}</span>`);
const val = (v: string | undefined): string => (v === undefined ? '<span class="note">(absent)</span>' : esc(v));

function side(tag: string, r: DiffInput, href: string | undefined): string {
  const name = href ? `<a href="${esc(href)}">${esc(r.id)}</a>` : esc(r.id);
  return `<li>${tag}: ${name} ${chip(r.verdict)}${r.spec.seed ? ` seed ${esc(r.spec.seed)}` : ''}${r.startedAt ? ` · started ${esc(r.startedAt)}` : ''}</li>`;
}

const reason = (r: string | undefined): string => (r === undefined ? '' : `<span class="reason">${esc(r)}</span>`);

function verdictRow(r: DiffRow): string {
  return `<tr class="changed"><td>${esc(r.key)}</td><td class="a">${chip(r.a)}${reason(r.reasonA)}</td><td class="b">${chip(r.b)}${reason(r.reasonB)}</td></tr>`;
}

/** The tables of a diff, as the compare view draws them too; `href` links a run to its report. */
export function diffTables(d: RunDiff, href: (r: DiffInput) => string | undefined): string {
  const spec = d.spec.filter((r) => r.changed);
  const verdicts = d.verdicts.filter((r) => r.changed);
  const changedFigures = d.figures.filter((f) => f.changed).length;
  return [
    `<ul class="runs">${side('A', d.a, href(d.a))}${side('B', d.b, href(d.b))}</ul>`,
    `<h3>Spec</h3><p class="note" id="diff-spec-note">${spec.length ? `${spec.length} of ${d.spec.length} options differ` : `the same ${d.spec.length} options`}</p>`,
    spec.length ? `<table class="diff" id="diff-spec"><thead><tr><th>option</th><th>A</th><th>B</th></tr></thead><tbody>${spec.map((r) => `<tr class="changed"><td>${esc(r.key)}</td><td class="a">${val(r.a)}</td><td class="b">${val(r.b)}</td></tr>`).join('')}</tbody></table>` : '',
    `<h3>Verdicts</h3><p class="note" id="diff-verdicts-note">${verdicts.length ? `${verdicts.length} of ${d.verdicts.length} differ` : `the same ${d.verdicts.length}`}</p>`,
    verdicts.length ? `<table class="diff" id="diff-verdicts"><thead><tr><th>verdict of</th><th>A</th><th>B</th></tr></thead><tbody>${verdicts.map(verdictRow).join('')}</tbody></table>` : '',
    `<h3>Figures</h3><p class="note" id="diff-figures-note">${changedFigures} of ${d.figures.length} differ</p>`,
    `<table class="diff" id="diff-figures"><thead><tr><th>figure</th><th>A</th><th>B</th><th>change</th></tr></thead><tbody>${d.figures.map((f) => `<tr class="${[f.changed ? 'changed' : '', f.direction ?? ''].join(' ').trim()}"><td>${esc(f.label)}</td><td class="a">${val(f.a)}</td><td class="b">${val(f.b)}</td><td class="d">${f.delta ? esc(`${f.delta}${f.direction ? ` (${f.direction})` : ''}`) : ''}</td></tr>`).join('')}</tbody></table>`,
  ].join('\n');
}

export function renderDiffPage(d: RunDiff, href: (r: DiffInput) => string | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>rift diff: ${esc(d.a.id)} → ${esc(d.b.id)}</title><style>${storeCss()}</style></head>
<body>
<h1>What changed from A to B</h1>
<section id="diff">${diffTables(d, href)}</section>
</body></html>
`;
}
