/**
 * A suite as a release gate, calibrated: the suite with each bug switch on must exit 1, and on the correct layer 0.
 * With a switch on, the suite stops at its first failed run (`--max-failures 1`): the decision is already no, and
 * the table then says which run caught the switch and how long the gate took to say so.
 */
import { runSuite, type RunOne } from '../suite/run-suite.ts';
import type { RiftConfig } from '../suite/config.ts';
import type { SuiteSummary } from '../suite/summary.ts';

export interface SuiteCalibrationRow {
  /** The switch, or undefined for the correct layer. */
  bug: string | undefined;
  exitCode: number;
  /** The first failed run, as `project seed N`. */
  caughtBy?: string;
  durationMs: number;
}

export interface SuiteCalibrationReport {
  suite: string;
  rows: SuiteCalibrationRow[];
}

function rowOf(bug: string | undefined, s: SuiteSummary): SuiteCalibrationRow {
  const red = s.runs.find((r) => r.status === 'failed');
  return {
    bug, exitCode: s.exitCode, durationMs: s.durationMs,
    ...(red ? { caughtBy: `${red.project} seed ${red.seed}` } : {}),
  };
}

export async function calibrateSuite(o: {
  config: RiftConfig; configFile: string; suite: string; bugs: readonly string[]; store: string; onRun?: (line: string) => void;
  /** Stand-in runs for tests; real runs otherwise. */
  runOne?: RunOne;
}): Promise<SuiteCalibrationReport> {
  const rows: SuiteCalibrationRow[] = [];
  // The correct layer first: a suite that is red without any switch decides nothing with one.
  for (const bug of [undefined, ...o.bugs]) {
    const { summary } = await runSuite({
      config: o.config, configFile: o.configFile, suite: o.suite, storeDir: o.store, log: () => undefined,
      ...(o.runOne ? { runOne: o.runOne } : {}),
      ...(bug ? { bugs: [bug], maxFailures: 1 } : {}),
    });
    const row = rowOf(bug, summary);
    rows.push(row);
    o.onRun?.(`${bug ?? 'correct layer'}: exit ${row.exitCode} in ${(row.durationMs / 1000).toFixed(0)} s${row.caughtBy ? `, red at ${row.caughtBy}` : ''}`);
  }
  return { suite: o.suite, rows };
}

/** Every switch exits 1 and the correct layer exits 0. */
export const suiteAccepted = (r: SuiteCalibrationReport): boolean =>
  r.rows.every((x) => (x.bug === undefined ? x.exitCode === 0 : x.exitCode === 1));

export function formatSuiteReport(r: SuiteCalibrationReport): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  const lines = [`rift suite ${r.suite} --bugs X --max-failures 1, per switch`, '', 'switch                       exit  time    first red run'];
  for (const x of r.rows) {
    const expected = x.bug === undefined ? 0 : 1;
    lines.push(`${(x.bug ?? 'correct layer (all runs)').padEnd(28)} ${String(x.exitCode).padEnd(5)} ${s(x.durationMs).padEnd(7)} ${x.caughtBy ?? '-'}${x.exitCode === expected ? '' : `  << expected exit ${expected}`}`);
  }
  const bugRows = r.rows.filter((x) => x.bug !== undefined);
  if (bugRows.length) lines.push('', `with a switch on: ${s(Math.min(...bugRows.map((x) => x.durationMs)))} to ${s(Math.max(...bugRows.map((x) => x.durationMs)))} to the decision`);
  lines.push('', suiteAccepted(r) ? `ACCEPTED: ${r.suite} exits 1 with every switch and 0 on the correct layer` : 'NOT ACCEPTED');
  return lines.join('\n');
}
