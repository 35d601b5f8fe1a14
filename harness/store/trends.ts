/**
 * Trends across a suite's runs (each night's `rift suite nightly`), per project: one slot per suite run that ran the
 * project, oldest first, holding the pass rate of its runs that night and each run's figures. Every point knows the
 * page behind it: the suite page for a pass rate, the run's report for a figure.
 */
import type { FigureKey, RunFigures } from './figures.ts';
import type { IndexSuite } from './index-data.ts';

export interface TrendPoint {
  /** The slot (suite run) it belongs to, plus an offset in (-0.5, 0.5) when a slot holds several runs. */
  x: number;
  value: number;
  href?: string;
  title: string;
}

export interface TrendSeries {
  label: string;
  points: TrendPoint[];
}

export interface TrendChart {
  title: string;
  unit: string;
  /** Values are fractions shown as percentages, on a 0–100% axis. */
  percent?: boolean;
  series: TrendSeries[];
}

export interface ProjectTrend {
  suite: string;
  project: string;
  /** The suite runs, oldest first: when each started. */
  slots: string[];
  charts: TrendChart[];
}

/** The charts of a project, and the figures each series draws. */
const FIGURE_CHARTS: readonly { title: string; unit: string; percent?: boolean; series: readonly [FigureKey, string][] }[] = [
  { title: 'convergence time', unit: 's', series: [['convergenceP50S', 'p50'], ['convergenceP99S', 'p99']] },
  { title: 'availability', unit: '%', percent: true, series: [['availabilityInside', 'inside faults'], ['availabilityOutside', 'outside faults']] },
  { title: 'latency p99', unit: 'ms', series: [['latencyP99Ms', 'p99']] },
  { title: 'achieved rate', unit: 'ops/s', series: [['achievedRate', 'ops/s']] },
];

const show = (v: number, percent?: boolean): string => (percent ? `${(v * 100).toFixed(1)}%` : String(Math.round(v * 1000) / 1000));

/** The trends of every project of every suite in the index (suites by name, projects in the order they first ran). */
export function buildTrends(suites: readonly IndexSuite[]): ProjectTrend[] {
  const oldestFirst = [...suites].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const keys: string[] = [];
  const slotsOf = new Map<string, { suite: IndexSuite; runs: IndexSuite['runs'] }[]>();
  for (const s of oldestFirst) {
    for (const r of s.runs) {
      const key = `${s.suite}\u0000${r.project}`;
      let slots = slotsOf.get(key);
      if (!slots) {
        slotsOf.set(key, (slots = []));
        keys.push(key);
      }
      const last = slots[slots.length - 1];
      if (last?.suite === s) last.runs.push(r);
      else slots.push({ suite: s, runs: [r] });
    }
  }
  keys.sort((a, b) => a.split('\u0000')[0].localeCompare(b.split('\u0000')[0]));
  return keys.map((key) => {
    const [suite, project] = key.split('\u0000');
    const slots = slotsOf.get(key)!;
    const passRate: TrendPoint[] = slots.flatMap(({ suite: s, runs }, slot) => {
      const judged = runs.filter((r) => r.status !== 'skipped');
      if (judged.length === 0) return [];
      const passed = judged.filter((r) => r.status === 'passed').length;
      return [{ x: slot, value: passed / judged.length, ...(s.page ? { href: s.page } : {}), title: `${s.startedAt}: ${passed} of ${judged.length} passed` }];
    });
    const figureCharts = FIGURE_CHARTS.map((c): TrendChart => ({
      title: c.title, unit: c.unit, ...(c.percent ? { percent: true } : {}),
      series: c.series.map(([figure, label]) => ({
        label,
        points: slots.flatMap(({ suite: s, runs }, slot) => runs.flatMap((r, i) => {
          const value = (r.figures as RunFigures | undefined)?.[figure];
          if (value === undefined) return [];
          const x = slot + (runs.length > 1 ? (i + 0.5) / runs.length - 0.5 : 0) * 0.6;
          return [{ x, value, ...(r.report ? { href: r.report } : {}), title: `${r.project} seed ${r.seed}, ${r.startedAt ?? s.startedAt}: ${label} ${show(value, c.percent)}${c.percent ? '' : ` ${c.unit}`}` }];
        })),
      })),
    }));
    return {
      suite, project, slots: slots.map((s) => s.suite.startedAt),
      charts: [{ title: 'pass rate', unit: '%', percent: true, series: [{ label: 'passed', points: passRate }] }, ...figureCharts],
    };
  });
}
