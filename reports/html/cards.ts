/** One card per checker: its verdict, what it found in a sentence, and a few headline figures. */
import type { CheckResult } from '../../harness/core/checker.ts';
import { esc } from './escape.ts';
import { checkerSummary, keyFigures, verdictClass, verdictWord } from './verdict.ts';

/** A checker name as an id fragment. */
export const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-');

/** A checker's card; a measurement's says so, since its verdict is not part of the run's. */
export function card(name: string, r: CheckResult, measurement = false): string {
  const v = verdictClass(r?.valid);
  const figures = keyFigures(r);
  return `<article class="card ${v}${measurement ? ' measurement' : ''}"><h3><a href="#raw-${esc(slug(name))}">${esc(name)}</a></h3><p class="badge ${v}">${esc(verdictWord(r?.valid))}</p>${measurement ? '<p class="note">measurement: not promised, never red</p>' : ''}<p class="summary">${esc(checkerSummary(name, r))}</p>${
    figures.length ? `<dl>${figures.map(([k, x]) => `<dt>${esc(k)}</dt><dd>${esc(x)}</dd>`).join('')}</dl>` : ''
  }</article>`;
}
