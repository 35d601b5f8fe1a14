import { strict as assert } from 'node:assert';
import { computeAvailability } from '../../../checkers/availability.ts';
import { card } from '../../../reports/html/cards.ts';
import { smallRun } from '../history-fixture.ts';

describe('reports/html/cards', () => {
  it('calls availability without a threshold a measurement, not valid', () => {
    const html = card('availability', computeAvailability(smallRun()));
    assert.match(html, /<p class="badge measured">Measured \(no threshold set\)<\/p>/);
    assert.doesNotMatch(html, />Valid</);
  });

  it('names the threshold availability was judged against', () => {
    assert.match(card('availability', computeAvailability(smallRun(), { minOutside: 0.5 })), /<p class="badge valid">Valid: threshold 50\.0% ok outside faults per region<\/p>/);
  });

  it('names the consistency model checked and the models ruled out, cutting a long list with a count', () => {
    const html = card('elle-list-append', { valid: false, models: ['strict-serializable'], not: ['a', 'b', 'c'], alsoNot: ['d', 'e', 'f', 'g', 'a'] });
    assert.match(html, /<dt>model checked<\/dt><dd>strict-serializable<\/dd>/);
    assert.match(html, /<dt>ruled out<\/dt><dd>a, b, c, d, e, f \(6 of 7 shown\)<\/dd>/);
  });
});
