/**
 * One JUnit file for a whole suite: a <testsuite> per project; per run, a testcase per gate (classname
 * `rift.<project>.gates`) and per checker (`rift.<project>.<checker>`), named by seed. Failure messages are plain
 * sentences ending with the command that reruns that run alone.
 */
import { xmlEscape } from '../../reports/junit.ts';
import type { SuiteRunSummary, SuiteSummary } from './summary.ts';

interface Case {
  classname: string;
  name: string;
  outcome: 'pass' | 'failure' | 'error' | 'skipped';
  message?: string;
  body?: string;
}

/** A checker's results key as one classname segment: `convergence [register/*]` → `convergence-register`. */
export const classSegment = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'checker';

function runCases(project: string, r: SuiteRunSummary): Case[] {
  const seed = `seed ${r.seed}`;
  const rerun = `Rerun it alone with: ${r.rerun}`;
  if (r.status === 'skipped') return [{ classname: `rift.${project}.run`, name: seed, outcome: 'skipped', message: r.error ?? 'not run' }];
  if (r.status === 'error') {
    return [{ classname: `rift.${project}.run`, name: seed, outcome: 'error', message: `The ${project} run with ${seed} did not finish: ${r.error ?? 'unknown error'}. ${rerun}`, body: r.dir ? `Logs: ${r.dir}/logs` : undefined }];
  }
  const cases: Case[] = r.gates.map((g) => {
    const c = { classname: `rift.${project}.gates`, name: `${g.gate} (${seed})` };
    if (g.passed === true) return { ...c, outcome: 'pass', body: g.message };
    const what = g.passed === false ? 'failed' : 'could not be judged';
    return {
      ...c, outcome: g.passed === false ? 'failure' : 'error',
      message: `The ${g.gate} gate ${what} for ${project} with ${seed}: ${g.message}. ${rerun}`,
      body: r.report ? `Report: ${r.report}` : undefined,
    };
  });
  const taken = new Set<string>();
  for (const [name, ch] of Object.entries(r.checkers).sort(([a], [b]) => a.localeCompare(b))) {
    let segment = classSegment(name);
    for (let i = 2; taken.has(segment); i++) segment = `${classSegment(name)}-${i}`;
    taken.add(segment);
    const c = { classname: `rift.${project}.${segment}`, name: seed };
    const verdict = ch.valid === true ? 'valid' : ch.valid === false ? 'anomalies found' : 'unknown';
    if (!ch.promised || ch.valid === true) {
      cases.push({ ...c, outcome: 'pass', body: `${name}: ${verdict}${ch.promised ? '' : ' (a measurement, never failing the run)'}${ch.reason ? ` — ${ch.reason}` : ''}` });
    } else {
      cases.push({
        ...c, outcome: ch.valid === false ? 'failure' : 'error',
        message: `${name} ${ch.valid === false ? 'found anomalies' : 'could not decide'} in the ${project} run with ${seed}${ch.reason ? `: ${ch.reason}` : ''}. ${rerun}`,
        body: r.report ? `Report: ${r.report}` : undefined,
      });
    }
  }
  return cases;
}

function caseXml(c: Case): string {
  const head = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="0.000"`;
  if (c.outcome === 'pass') return `${head}>${c.body ? `<system-out>${xmlEscape(c.body)}</system-out>` : ''}</testcase>`;
  return `${head}>\n      <${c.outcome} message="${xmlEscape(c.message ?? '')}">${xmlEscape(c.body ?? c.message ?? '')}</${c.outcome}>\n    </testcase>`;
}

const tally = (cases: readonly Case[]) => ({
  tests: cases.length,
  failures: cases.filter((c) => c.outcome === 'failure').length,
  errors: cases.filter((c) => c.outcome === 'error').length,
  skipped: cases.filter((c) => c.outcome === 'skipped').length,
});

const attrs = (t: ReturnType<typeof tally>) => `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;

export function renderSuiteJUnit(summary: SuiteSummary): string {
  const projects = [...new Set(summary.runs.map((r) => r.project))];
  const suites = projects.map((project) => {
    const runs = summary.runs.filter((r) => r.project === project);
    const cases = runs.flatMap((r) => runCases(project, r));
    const seconds = runs.reduce((s, r) => s + (r.durationMs ?? 0), 0) / 1000;
    return { project, cases, seconds };
  });
  const all = tally(suites.flatMap((s) => s.cases));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rift.${xmlEscape(summary.suite)}" ${attrs(all)} time="${(summary.durationMs / 1000).toFixed(3)}">`,
    ...suites.map((s) => [
      `  <testsuite name="rift.${xmlEscape(s.project)}" ${attrs(tally(s.cases))} time="${s.seconds.toFixed(3)}" timestamp="${summary.startedAt.slice(0, 19)}">`,
      ...s.cases.map(caseXml),
      '  </testsuite>',
    ].join('\n')),
    '</testsuites>',
    '',
  ].join('\n');
}
