/**
 * What changed between two runs (`rift diff`, and the index's compare view, which runs the same comparison in the
 * page over the same records): the options in force, the verdict of every contract line and checker, and the
 * figures with their change.
 */
import { FIGURES, type FigureKey, type RunFigures } from './figures.ts';
import type { RunRecord, VerdictLine } from './run-record.ts';

export type DiffInput = Pick<RunRecord, 'id' | 'name' | 'verdict' | 'startedAt' | 'spec' | 'verdicts' | 'figures'>;

export interface DiffRow {
  key: string;
  a?: string;
  b?: string;
  changed: boolean;
  reasonA?: string;
  reasonB?: string;
}

export interface FigureRow {
  key: FigureKey;
  label: string;
  a?: string;
  b?: string;
  /** b − a, formatted with its sign, when both runs have the figure. */
  delta?: string;
  changed: boolean;
  /** Whether the change is for the better, by the figure's direction; absent when it has none or nothing changed. */
  direction?: 'better' | 'worse';
}

export interface RunDiff {
  a: DiffInput;
  b: DiffInput;
  spec: DiffRow[];
  verdicts: DiffRow[];
  figures: FigureRow[];
}

const union = (a: object, b: object): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])];

export function formatFigure(key: FigureKey, v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  const meta = FIGURES.find((f) => f.key === key);
  if (meta?.percent) return `${(v * 100).toFixed(1)}%`;
  const n = Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  return meta?.unit ? `${n} ${meta.unit}` : n;
}

function figureRow(key: FigureKey, a: RunFigures, b: RunFigures): FigureRow {
  const meta = FIGURES.find((f) => f.key === key)!;
  const [fa, fb] = [formatFigure(key, a[key]), formatFigure(key, b[key])];
  const row: FigureRow = { key, label: meta.label, ...(fa !== undefined ? { a: fa } : {}), ...(fb !== undefined ? { b: fb } : {}), changed: fa !== fb };
  const [va, vb] = [a[key], b[key]];
  if (va !== undefined && vb !== undefined && row.changed) {
    const d = vb - va;
    const shown = formatFigure(key, Math.abs(d))!;
    row.delta = `${d > 0 ? '+' : '−'}${shown}`;
    if (meta.better !== 'neither') row.direction = (d > 0) === (meta.better === 'higher') ? 'better' : 'worse';
  }
  return row;
}

const lineRow = (key: string, a: VerdictLine | undefined, b: VerdictLine | undefined): DiffRow => ({
  key,
  ...(a ? { a: a.value } : {}),
  ...(b ? { b: b.value } : {}),
  changed: a?.value !== b?.value,
  ...(a?.reason !== undefined ? { reasonA: a.reason } : {}),
  ...(b?.reason !== undefined ? { reasonB: b.reason } : {}),
});

export function diffRuns(a: DiffInput, b: DiffInput): RunDiff {
  return {
    a, b,
    spec: union(a.spec, b.spec).map((key) => ({ key, ...(key in a.spec ? { a: a.spec[key] } : {}), ...(key in b.spec ? { b: b.spec[key] } : {}), changed: a.spec[key] !== b.spec[key] })),
    verdicts: union(a.verdicts, b.verdicts).map((key) => lineRow(key, a.verdicts[key], b.verdicts[key])),
    figures: FIGURES.filter((f) => a.figures[f.key] !== undefined || b.figures[f.key] !== undefined).map((f) => figureRow(f.key, a.figures, b.figures)),
  };
}

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(1, n - s.length));
const cell = (v: string | undefined): string => v ?? '(absent)';

/** The diff for a terminal: the runs, then only what differs in spec and verdicts, then every figure. */
export function renderDiffText(d: RunDiff): string {
  const side = (tag: string, r: DiffInput): string => `  ${tag}  ${r.id}  ${r.verdict}${r.spec.seed ? `  seed ${r.spec.seed}` : ''}${r.startedAt ? `  started ${r.startedAt}` : ''}`;
  const out = ['runs:', side('A', d.a), side('B', d.b)];
  const spec = d.spec.filter((r) => r.changed);
  out.push(`spec: ${spec.length ? `${spec.length} of ${d.spec.length} options differ` : `the same ${d.spec.length} options`}`);
  const w = Math.max(0, ...spec.map((r) => r.key.length)) + 2;
  for (const r of spec) out.push(`  ${pad(r.key, w)}${cell(r.a)}  →  ${cell(r.b)}`);
  const verdicts = d.verdicts.filter((r) => r.changed);
  out.push(`verdicts: ${verdicts.length ? `${verdicts.length} of ${d.verdicts.length} differ` : `the same ${d.verdicts.length}`}`);
  for (const r of verdicts) {
    out.push(`  ${r.key}: ${cell(r.a)}  →  ${cell(r.b)}`);
    if (r.reasonA !== undefined) out.push(`      A: ${r.reasonA}`);
    if (r.reasonB !== undefined) out.push(`      B: ${r.reasonB}`);
  }
  out.push(`figures: ${d.figures.filter((f) => f.changed).length} of ${d.figures.length} differ`);
  const fw = Math.max(0, ...d.figures.map((f) => f.label.length)) + 2;
  const vw = Math.max(0, ...d.figures.map((f) => cell(f.a).length)) + 2;
  for (const f of d.figures) {
    out.push(`  ${pad(f.label, fw)}${pad(cell(f.a), vw)}→  ${cell(f.b)}${f.delta ? `  (${f.delta}${f.direction ? `, ${f.direction}` : ''})` : ''}`);
  }
  return out.join('\n');
}
