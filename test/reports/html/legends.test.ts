import { strict as assert } from 'node:assert';
import { renderReport } from '../../../reports/html/page.ts';
import { smallRun } from '../history-fixture.ts';

const section = (html: string, id: string): string => new RegExp(`<section id="${id}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';

describe('reports/html legends and cut lists', () => {
  const lost = Array.from({ length: 190 }, (_, i) => ({ element: i, line: 3 }));
  const html = renderReport({ history: smallRun(), results: { valid: false, checkers: { set: { valid: false, lost } } } });

  it('names each fault kind\'s band colour in the timeline, throughput and latency legends', () => {
    for (const id of ['timeline', 'throughput', 'latency']) assert.match(section(html, id), /<span class="sw fk" style="[^"]+"><\/span>partition window/, id);
  });

  it('says how many of a cut list are shown', () => {
    assert.match(html, /<h4>lost <span class="note">\(50 of 190 shown\)<\/span><\/h4>/);
    assert.match(html, /50 of 190 shown; the other 140 are in results\.json/);
  });
});
