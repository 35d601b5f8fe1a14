/** One card per checker: its verdict, what it found in a sentence, and a few headline figures. */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';
import { hasAvailability } from './availability.ts';
import { checkerSummary, keyFigures, verdictClass, verdictWord } from './verdict.ts';

/** A checker name as an id fragment. */
export const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-');

/** A checker's card; a measurement's says so, since its verdict is not part of the run's. */
export function card(name: string, r: CheckResult, measurement = false): string {
  // Availability with no threshold judged nothing: "Valid" there would read as "available", whatever the figures.
  const unjudged = r?.valid === true && hasAvailability(r) && typeof r.threshold !== 'number';
  const v = unjudged ? 'measured' : verdictClass(r?.valid);
  const word = unjudged ? 'Measured (no threshold set)' : typeof r?.threshold === 'number' && hasAvailability(r) ? `${verdictWord(r?.valid)}: threshold ${(r.threshold * 100).toFixed(1)}% ok outside faults per region` : verdictWord(r?.valid);
  const figures = [...keyFigures(r), ...modelFigures(r)];
  return `<article class="card ${v}${measurement ? ' measurement' : ''}"><h3><a href="#raw-${esc(slug(name))}">${esc(name)}</a></h3><p class="badge ${v}">${esc(word)}</p>${measurement ? '<p class="note">measurement: not promised, never red</p>' : ''}<p class="summary">${esc(checkerSummary(name, r))}</p>${
    figures.length ? `<dl>${figures.map(([k, x]) => `<dt>${esc(k)}</dt><dd>${esc(x)}</dd>`).join('')}</dl>` : ''
  }</article>`;
}

/** For a checker that judges against consistency models (Elle): the model checked, and those the history rules out. */
function modelFigures(r: CheckResult): [string, string][] {
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const out: [string, string][] = [];
  const models = names(r?.models);
  if (models.length) out.push([models.length === 1 ? 'model checked' : 'models checked', models.join(', ')]);
  const ruled = [...new Set([...names(r?.not), ...names(r?.alsoNot)])];
  if (ruled.length) out.push(['ruled out', ruled.length > 6 ? `${ruled.slice(0, 6).join(', ')} (6 of ${ruled.length} shown)` : ruled.join(', ')]);
  return out;
}
