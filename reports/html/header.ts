/** The top of the page: the verdict, the reason under it, and the run's facts at a glance. */
import type { Results } from '../../harness/core/checker.ts';
import type { IndexedOp } from '../../harness/core/op.ts';
import type { RunMeta } from '../run-meta.ts';
import { esc } from './escape.ts';
import { duration, durationMs, grouped, wallClock } from './format.ts';
import { checkerSummary, verdictClass, verdictSentence, verdictWord } from './verdict.ts';

/** A dot in the verdict's colour, so a tab full of reports shows which runs failed. */
export function favicon(v: string): string {
  const colour = v === 'valid' ? '%231a7f37' : v === 'invalid' ? '%23cf222e' : '%23bf8700';
  return `data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='${colour}'/></svg>`;
}

/** Operations as the stats checker counts them: the workload's, with the harness's convergence probes apart. */
export interface OpCounts {
  client: number;
  probes: number;
}

export function header(run: RunMeta, results: Results, history: readonly IndexedOp[], ops: OpCounts, windows: number): string {
  const v = verdictClass(results.valid);
  const facts: [string, string | undefined][] = [
    ['target', run.target],
    ['workload', run.workload],
    ['nemesis', run.nemesis?.length ? run.nemesis.join(', ') : run.nemesis ? 'none' : undefined],
    ['regions', run.regions?.join(', ')],
    ['seed', run.seed === undefined ? undefined : String(run.seed)],
    ['started', run.startedAt === undefined ? undefined : wallClock(run.startedAt)],
    ['duration', run.durationMs === undefined ? undefined : durationMs(run.durationMs)],
    ['operations', `${grouped(ops.client)} client${ops.probes ? ` (+${grouped(ops.probes)} probes)` : ''}, ${windows} fault window${windows === 1 ? '' : 's'}`],
    ['history span', history.length ? duration(history[history.length - 1].time - history[0].time) : '0'],
    ['exit code', run.exitCode === undefined ? undefined : String(run.exitCode)],
  ];
  const mark = v === 'valid' ? '✓' : v === 'invalid' ? '✗' : '?';
  const word = results.contract ? contractWord(results) : verdictWord(results.valid);
  const sentence = results.contract ? contractSentence(results) : verdictSentence(results);
  return `<header class="verdict ${v}"><div class="mark" aria-hidden="true">${mark}</div><div><p class="run-name">${esc(run.name ?? 'Rift run')}</p><h1 id="verdict">${esc(word)}</h1><p class="sentence">${esc(sentence)}</p>${firstWhy(results)}</div></header>
<dl class="facts">${facts.filter(([, x]) => x !== undefined).map(([k, x]) => `<div><dt>${esc(k)}</dt><dd>${esc(x)}</dd></div>`).join('')}</dl>`;
}

const contractWord = (results: Results): string =>
  results.valid === true ? 'Contract kept' : results.valid === false ? 'Contract broken' : 'Contract unknown';

/** Which promises were kept, broken or undecided, and by which checkers. */
function contractSentence(results: Results): string {
  const lines = results.contract!.lines;
  if (lines.length === 0) return results.contract!.reason ?? 'No promise could be judged.';
  const of = (v: unknown) => lines.filter((l) => l.kept === v).map((l) => `${l.property} on ${l.scope} (${l.checker})`);
  const broken = of(false);
  const unknown = lines.filter((l) => l.kept !== true && l.kept !== false).map((l) => `${l.property} on ${l.scope} (${l.checker})`);
  if (broken.length) return `Broken: ${broken.join('; ')}.${unknown.length ? ` Undecided: ${unknown.join('; ')}.` : ''}`;
  if (unknown.length) return `No promise broken, but undecided: ${unknown.join('; ')}.`;
  return `All ${lines.length} promises of ${results.contract!.target} kept; ${(results.measurements ?? []).length} measurements reported beside them.`;
}

/** The first reason under the headline, so the verdict and its cause are read together. */
function firstWhy(results: Results): string {
  const promised = results.contract ? new Set(results.contract.lines.map((l) => l.checker)) : undefined;
  const entries = Object.entries(results.checkers).filter(([n]) => !promised || promised.has(n));
  const first = entries.find(([, r]) => r.valid === false) ?? entries.find(([, r]) => r.valid !== true);
  if (!first || results.valid === true) return '';
  return `<p class="lead-why"><b>${esc(first[0])}:</b> ${esc(checkerSummary(first[0], first[1]))}</p>`;
}
