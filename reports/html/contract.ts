/** The contract under the verdict: each promise, kept or broken, and the checker that proves it. */
import type { Results, Validity } from '../../harness/core/checker.ts';
import { slug } from './cards.ts';
import { esc } from './escape.ts';
import { verdictClass } from './verdict.ts';

const keptWord = (v: Validity): string => (v === true ? 'kept' : v === false ? 'broken' : 'unknown');

export function renderContract(results: Results): string {
  const c = results.contract;
  if (!c) return '';
  const rows = c.lines
    .map((l) => `<tr><td><span class="chip ${verdictClass(l.kept)}">${esc(keptWord(l.kept))}</span></td><td>${esc(l.property)}</td><td><code>${esc(l.scope)}</code></td><td><a href="#raw-${esc(slug(l.checker))}">${esc(l.checker)}</a></td></tr>`)
    .join('');
  const m = results.measurements ?? [];
  const measured = m.length ? `<p class="note">Measurements (reported, never red): ${m.map((n) => `<a href="#raw-${esc(slug(n))}">${esc(n)}</a>`).join(', ')}.</p>` : '';
  const none = c.lines.length ? '' : `<p class="warn">${esc(c.reason ?? 'No promise could be judged.')}</p>`;
  return `<section id="contract" class="contract"><h2>Contract of ${esc(c.target)}</h2>${none}<table class="grid"><thead><tr><th>promise</th><th>property</th><th>scope</th><th>proved by</th></tr></thead><tbody>${rows}</tbody></table>${measured}</section>`;
}
