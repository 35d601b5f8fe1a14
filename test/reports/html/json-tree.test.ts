import { strict as assert } from 'node:assert';
import { jsonTree } from '../../../reports/html/json-tree.ts';

describe('reports/html/json-tree', () => {
  it('renders nested values as collapsible, escaped HTML', () => {
    const html = jsonTree({ a: [1, 'x<y'], b: { c: null, d: true } });
    assert.match(html, /<details class="j" open><summary>\{2\}<\/summary>/);
    assert.match(html, /<span class="j-str">&quot;x&lt;y&quot;<\/span>/);
    assert.match(html, /<span class="j-key">c<\/span>: <span class="j-null">null<\/span>/);
  });

  it('cuts long lists, long strings and huge trees, saying so', () => {
    assert.match(jsonTree(Array.from({ length: 100 }, (_, i) => i), { maxItems: 10 }), /… 90 more \(see results\.json\)/);
    const long = jsonTree({ s: 'z'.repeat(10_000) });
    assert.ok(long.length < 2_000);
    assert.match(long, /\(10,000 characters\)/);
    const deep = jsonTree(Array.from({ length: 50 }, () => Array.from({ length: 50 }, () => ({ k: 1 }))), { maxNodes: 100, maxItems: 50 });
    assert.ok((deep.match(/j-more">…</g) ?? []).length > 0);
    assert.ok(deep.length < 60_000);
  });
});
