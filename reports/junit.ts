/**
 * JUnit XML for CI: one <testsuite> per run, one <testcase> per checker, and one for "faults took effect".
 *
 * - valid: a passing testcase.
 * - anomalies found: <failure type="anomaly"> with the checker's one-line summary and the blamed history lines.
 * - unknown: by default an <error type="unknown"> with the reason, because a check that could not decide proved
 *   nothing and CI must not count it as a pass (CHECKERS.md §2.8). With `unknownAs: 'skipped'` (for runs that
 *   allow unknown) it is a <skipped> with the reason instead.
 * - faults took effect: fails when a requested fault kind never took effect; skipped when no faults were requested.
 * - With a contract (results.json `contract`), only promises can fail: a measurement is a passing testcase named
 *   `measurement: NAME` whose output says what it measured and its own verdict.
 */
import type { CheckResult, Results } from '../harness/core/checker.ts';
import { rowsForRequest } from '../harness/core/faults.ts';
import type { IndexedOp } from '../harness/core/op.ts';
import { blamedLines } from './html/anomaly.ts';
import { coverageOf } from './html/coverage.ts';
import { faultWindows } from './html/fault-windows.ts';
import { checkerSummary } from './html/verdict.ts';
import { readResults } from './results-input.ts';
import { runMeta, type CoverageRow, type RunMeta } from './run-meta.ts';

export interface JUnitInput {
  results: Results;
  run?: RunMeta | Record<string, unknown>;
  /** For blamed lines in failure messages and fault coverage when run.json has none. */
  history?: readonly IndexedOp[];
}

export interface JUnitOptions {
  unknownAs?: 'error' | 'skipped';
}

/** XML 1.0 forbids most control characters even as references; they become U+FFFD so the file always parses. */
export function xmlEscape(s: unknown): string {
  return xmlText(s).replace(/["']/g, (c) => (c === '"' ? '&quot;' : '&apos;'));
}

/** Element text needs only &, < and > escaped; leaving quotes alone keeps JSON in failure bodies readable. */
function xmlText(s: unknown): string {
  return String(s)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const DETAIL_MAX = 8000;

interface Case {
  name: string;
  outcome: 'pass' | 'failure' | 'error' | 'skipped';
  message?: string;
  type?: string;
  body?: string;
  time?: number;
}

function caseXml(c: Case, classname: string): string {
  const head = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(classname)}" time="${(c.time ?? 0).toFixed(3)}"`;
  if (c.outcome === 'pass') return `${head}>${c.body ? `\n      <system-out>${xmlText(c.body)}</system-out>\n    ` : ''}</testcase>`;
  const tag = c.outcome;
  const type = c.type ? ` type="${xmlEscape(c.type)}"` : '';
  return `${head}>\n      <${tag} message="${xmlEscape(c.message ?? '')}"${type}>${xmlText(c.body ?? '')}</${tag}>\n    </testcase>`;
}

function elapsedSeconds(r: CheckResult): number {
  for (const k of ['elapsedMs', 'durationMs', 'timeMs']) if (typeof r?.[k] === 'number') return (r[k] as number) / 1000;
  const stats = r?.stats as Record<string, unknown> | undefined;
  for (const k of ['elapsedMs', 'ms']) if (typeof stats?.[k] === 'number') return (stats[k] as number) / 1000;
  return 0;
}

function detail(name: string, r: CheckResult, lines: number[]): string {
  let json: string;
  try {
    json = JSON.stringify(r, null, 1) ?? '';
  } catch {
    json = '(result is not JSON-serialisable)';
  }
  if (json.length > DETAIL_MAX) json = `${json.slice(0, DETAIL_MAX)}\n… (cut; full result in results.json)`;
  const blamed = lines.length ? `History lines blamed: ${lines.slice(0, 50).join(', ')}${lines.length > 50 ? ', …' : ''}\n` : '';
  return `${name}: ${checkerSummary(name, r)}\n${blamed}${json}`;
}

export function renderJUnit(input: JUnitInput, opts: JUnitOptions = {}): string {
  const run = runMeta(input.run);
  const results = readResults(input.results);
  const unknownAs = opts.unknownAs ?? 'error';
  const blamed = blamedLines(results);
  const classname = `rift.${run.workload ?? run.name ?? 'run'}`;
  const cases: Case[] = [];
  const measurements = new Set(results.contract ? results.measurements ?? [] : []);
  for (const name of Object.keys(results.checkers).sort()) {
    const r = results.checkers[name];
    const summary = checkerSummary(name, r);
    const time = elapsedSeconds(r);
    if (measurements.has(name)) cases.push({ name: `measurement: ${name}`, outcome: 'pass', time, body: `${r?.valid === true ? 'valid' : r?.valid === false ? 'anomalies (not promised)' : 'unknown'}: ${summary}` });
    else if (r?.valid === true) cases.push({ name, outcome: 'pass', time });
    else if (r?.valid === false) {
      const lines = [...blamed.entries()].filter(([, b]) => b.some((x) => x.checker === name)).map(([l]) => l).sort((a, b) => a - b);
      cases.push({ name, outcome: 'failure', type: 'anomaly', message: summary, body: detail(name, r, lines), time });
    } else cases.push({ name, outcome: unknownAs, type: 'unknown', message: `unknown: ${summary}`, body: detail(name, r, []), time });
  }
  cases.push(faultsCase(run, input.history ?? []));

  const count = (o: Case['outcome']): number => cases.filter((c) => c.outcome === o).length;
  const suiteName = `rift${run.name ? `.${run.name}` : ''}`;
  const timestamp = run.startedAt && !Number.isNaN(Date.parse(run.startedAt)) ? new Date(run.startedAt).toISOString().slice(0, 19) : undefined;
  const props: [string, unknown][] = [
    ['verdict', results.valid],
    ['contract', results.contract ? results.contract.lines.map((l) => `${l.property} on ${l.scope} (${l.checker}): ${l.kept}`).join('; ') : undefined],
    ['target', run.target],
    ['workload', run.workload],
    ['nemesis', run.nemesis?.join(',')],
    ['regions', run.regions?.join(',')],
    ['seed', run.seed],
    ['command', run.command],
  ];
  const propsXml = props
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`)
    .join('\n');
  const attrs = `name="${xmlEscape(suiteName)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${((run.durationMs ?? 0) / 1000).toFixed(3)}"${timestamp ? ` timestamp="${timestamp}"` : ''}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rift" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}">`,
    `  <testsuite ${attrs}>`,
    `    <properties>\n${propsXml}\n    </properties>`,
    ...cases.map((c) => caseXml(c, classname)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function faultsCase(run: RunMeta, history: readonly IndexedOp[]): Case {
  const name = 'faults took effect';
  const { rows, source } = coverageOf(run, faultWindows(history));
  const requested = new Set(run.nemesis ?? []);
  if (rows.length === 0 && requested.size === 0) return { name, outcome: 'skipped', message: 'no faults were requested' };
  const tally = (rs: readonly CoverageRow[]) => ({ asked: rs.reduce((n, r) => n + r.asked, 0), tookEffect: rs.reduce((n, r) => n + r.tookEffect, 0) });
  // Requested names (a shape alias such as partition-isolate counts that shape's partitions), then the kinds of rows no
  // requested name accounts for (recoveries such as heal, or faults of a run.json that does not list its nemesis).
  const accounted = new Set([...requested].flatMap((n) => rowsForRequest(n, rows)));
  const names = [...requested, ...new Set(rows.filter((r) => !accounted.has(r)).map((r) => r.kind))];
  const byName = new Map(names.map((n) => [n, tally(rowsForRequest(n, rows))]));
  const failedKinds = names.filter((k) => byName.get(k)!.asked > 0 && byName.get(k)!.tookEffect === 0);
  const neverAsked = names.filter((k) => byName.get(k)!.asked === 0);
  const table = rows.map((r) => `${r.kind}${r.target ? ` ${r.target}` : ''}: asked ${r.asked}, took effect ${r.tookEffect}, failed ${r.failed}`).join('\n');
  const problems = [
    failedKinds.length ? `never took effect: ${failedKinds.map((k) => `${k} (asked ${byName.get(k)!.asked})`).join(', ')}` : '',
    neverAsked.length ? `requested but never scheduled: ${neverAsked.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) return { name, outcome: 'failure', type: 'coverage', message: problems.join('; '), body: `${table}\n(source: ${source})` };
  return { name, outcome: 'pass', body: `${table}\n(source: ${source})` };
}
