import { readFileSync } from 'node:fs';
import { run } from '../runner.ts';
import { parseRunSpec } from '../cli/run.ts';
import { Progress } from '../progress.ts';
import { PRESETS, presetsInUse, validateTable, type CalibrationRow } from './table.ts';

/** The part of results.json calibration reads: each checker's own verdict. */
export interface RunVerdicts {
  valid: unknown;
  checkers: Record<string, { valid: unknown }>;
  contract?: { lines: { checker: string; kept: unknown }[] };
}

/** The promises a run broke: its contract lines that its checkers found invalid. */
const brokenPromises = (v: RunVerdicts): string[] => [...new Set((v.contract?.lines ?? []).filter((l) => l.kept === false).map((l) => l.checker))];

export interface RowOutcome {
  row: CalibrationRow;
  /** Per seed: the checkers that found the run invalid. */
  invalidBy: string[][];
  caught: number;
}

export interface PresetOutcome {
  preset: string;
  /** Per seed: the checkers that found the correct layer invalid (any one is a false alarm). */
  invalidBy: string[][];
  falseAlarms: number;
}

export interface CalibrationReport {
  seeds: readonly number[];
  rows: RowOutcome[];
  presets: PresetOutcome[];
}

export interface CalibrateOptions {
  rows: readonly CalibrationRow[];
  seeds: readonly number[];
  store: string;
  /** Also run every preset the rows use on the correct layer (default true). */
  clean?: boolean;
  /** Runs at a time (default 1). */
  jobs?: number;
  onRun?: (line: string) => void;
}

const silent = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/** One bounded run of a preset with a seed (and a bug switch, or none): the checkers' verdicts. */
export async function runPreset(preset: string, seed: number, bug: string | undefined, store: string): Promise<RunVerdicts> {
  const p = PRESETS[preset];
  if (!p) throw new Error(`unknown calibration preset "${preset}"`);
  const name = `${bug ?? 'correct'}-${preset}-s${seed}`;
  const spec = parseRunSpec([...p.args, ...(bug ? ['--bugs', bug] : []), '--seed', String(seed), '--store', store, '--name', name]);
  const out = await run(spec, silent());
  return JSON.parse(readFileSync(out.dir.results, 'utf8')) as RunVerdicts;
}

/** One `rift run` with nothing but the switch and the seed given: the run a user makes first. */
export async function runDefault(seed: number, bug: string | undefined, store: string): Promise<RunVerdicts> {
  const spec = parseRunSpec([...(bug ? ['--bugs', bug] : []), '--seed', String(seed), '--store', store, '--name', `${bug ?? 'correct'}-default-s${seed}`], () => undefined);
  const out = await run(spec, silent());
  return JSON.parse(readFileSync(out.dir.results, 'utf8')) as RunVerdicts;
}

export interface DefaultRunReport {
  seeds: readonly number[];
  /** Per switch and seed: the run's verdict (the contract) and the checkers that found it invalid. */
  rows: { bug: string; verdicts: { valid: unknown; invalidBy: string[] }[]; caught: number }[];
  correct: { valid: unknown; invalidBy: string[] }[];
}

/**
 * The default run (`rift run --bugs X`, every option at its default) for every switch and on the correct layer: the
 * verdict is the contract, so a switch is caught when the run is red, and the correct layer must be green.
 */
export async function calibrateDefault(o: { bugs: readonly string[]; seeds: readonly number[]; store: string; jobs?: number; onRun?: (line: string) => void }): Promise<DefaultRunReport> {
  const one = (bug: string | undefined, seed: number) => async () => {
    const v = await runDefault(seed, bug, o.store);
    const verdict = { valid: v.valid, invalidBy: brokenPromises(v) };
    o.onRun?.(`${bug ?? 'correct layer'} seed ${seed} (default run): ${v.valid === false ? `red, invalid by ${verdict.invalidBy.join(', ')}` : `verdict ${String(v.valid)}`}`);
    return verdict;
  };
  const tasks = [...o.bugs.flatMap((b) => o.seeds.map((s) => one(b, s))), ...o.seeds.map((s) => one(undefined, s))];
  const results = await pool(tasks, o.jobs ?? 1);
  const n = o.seeds.length;
  const rows = o.bugs.map((bug, i) => {
    const verdicts = results.slice(i * n, (i + 1) * n);
    return { bug, verdicts, caught: verdicts.filter((v) => v.valid === false).length };
  });
  return { seeds: o.seeds, rows, correct: results.slice(o.bugs.length * n) };
}

/** The default run is red with every switch in every seed, and green on the correct layer in every seed. */
export const defaultAccepted = (r: DefaultRunReport): boolean =>
  r.rows.every((x) => x.caught === r.seeds.length) && r.correct.every((v) => v.valid === true);

export function formatDefaultReport(r: DefaultRunReport): string {
  const n = r.seeds.length;
  const lines = [`default run (rift run --bugs X --seed S) over seeds ${r.seeds.join(', ')}`, '', 'switch                       red    contract lines broken'];
  for (const x of r.rows) {
    const broken = [...new Set(x.verdicts.flatMap((v) => v.invalidBy))];
    lines.push(`${x.bug.padEnd(28)} ${`${x.caught}/${n}`.padEnd(6)} ${broken.join(', ') || '-'}${x.caught === n ? '' : '  << MISSED'}`);
  }
  lines.push('', `correct layer: green in ${r.correct.filter((v) => v.valid === true).length}/${n} (verdicts ${r.correct.map((v) => String(v.valid)).join(', ')})`);
  lines.push('', defaultAccepted(r) ? 'ACCEPTED: red with every switch in every seed, green on the correct layer' : 'NOT ACCEPTED');
  return lines.join('\n');
}

export const invalidCheckers = (v: RunVerdicts): string[] => Object.entries(v.checkers).filter(([, c]) => c.valid === false).map(([n]) => n);

/** Runs `tasks` with at most `jobs` of them at a time, results in task order. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return out;
}

/**
 * Runs every row over every seed with its bug on, and every preset the rows use on the correct layer over every
 * seed, `jobs` runs at a time (each run deploys on its own free ports).
 */
export async function calibrate(o: CalibrateOptions): Promise<CalibrationReport> {
  validateTable(o.rows);
  const presetNames = o.clean === false ? [] : presetsInUse(o.rows);
  const bugTasks = o.rows.flatMap((row) => o.seeds.map((seed) => async () => {
    const bad = invalidCheckers(await runPreset(row.preset, seed, row.bug, o.store));
    o.onRun?.(`${row.bug} seed ${seed} (${row.preset}): ${bad.length ? `invalid by ${bad.join(', ')}` : 'not caught'}`);
    return bad;
  }));
  const cleanTasks = presetNames.flatMap((preset) => o.seeds.map((seed) => async () => {
    const bad = invalidCheckers(await runPreset(preset, seed, undefined, o.store));
    o.onRun?.(`correct layer seed ${seed} (${preset}): ${bad.length ? `FALSE ALARM by ${bad.join(', ')}` : 'valid'}`);
    return bad;
  }));
  const results = await pool([...bugTasks, ...cleanTasks], o.jobs ?? 1);
  const n = o.seeds.length;
  const rows: RowOutcome[] = o.rows.map((row, i) => {
    const invalidBy = results.slice(i * n, (i + 1) * n);
    return { row, invalidBy, caught: invalidBy.filter((b) => b.includes(row.catches)).length };
  });
  const presets: PresetOutcome[] = presetNames.map((preset, i) => {
    const invalidBy = results.slice(bugTasks.length + i * n, bugTasks.length + (i + 1) * n);
    return { preset, invalidBy, falseAlarms: invalidBy.filter((b) => b.length > 0).length };
  });
  return { seeds: o.seeds, rows, presets };
}

/** Acceptance: every switch caught by its checker in at least two thirds of the seeds, and no false alarm at all. */
export function accepted(r: CalibrationReport): boolean {
  return r.rows.every((x) => 3 * x.caught >= 2 * r.seeds.length) && r.presets.every((p) => p.falseAlarms === 0);
}

export function formatReport(r: CalibrationReport): string {
  const n = r.seeds.length;
  const lines = [`calibration over seeds ${r.seeds.join(', ')}`, '', 'switch                       preset                      caught by      seeds  also invalid'];
  for (const x of r.rows) {
    const others = [...new Set(x.invalidBy.flat().filter((c) => c !== x.row.catches))];
    const mark = 3 * x.caught >= 2 * n ? '' : '  << MISSED';
    lines.push(`${x.row.bug.padEnd(28)} ${x.row.preset.padEnd(27)} ${x.row.catches.padEnd(14)} ${`${x.caught}/${n}`.padEnd(6)} ${others.join(', ') || '-'}${mark}`);
  }
  if (r.presets.length) {
    lines.push('', 'correct layer: preset         false alarms  by');
    for (const p of r.presets) {
      lines.push(`${p.preset.padEnd(29)} ${`${p.falseAlarms}/${n}`.padEnd(13)} ${[...new Set(p.invalidBy.flat())].join(', ') || '-'}`);
    }
  }
  lines.push('', accepted(r) ? 'ACCEPTED: every switch caught in >= 2/3 of seeds, no false alarms' : 'NOT ACCEPTED');
  return lines.join('\n');
}
