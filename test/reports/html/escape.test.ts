import { strict as assert } from 'node:assert';
import { attrs, esc } from '../../../reports/html/escape.ts';

describe('reports/html/escape', () => {
  it('turns markup in user data into text', () => {
    const hostile = `</script><img src=x onerror="alert('x')">&amp;`;
    const out = esc(hostile);
    assert.equal(out, '&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;');
    assert.ok(!/[<>"']/.test(out));
  });

  it('replaces NUL and lone surrogates but keeps real astral characters', () => {
    assert.equal(esc('a\u0000b\uD800c'), 'a\uFFFDb\uFFFDc');
    assert.equal(esc('😀'), '😀');
  });

  it('escapes attribute values and drops undefined/false ones', () => {
    assert.equal(attrs({ title: '"><b>', hidden: true, x: 3, gone: undefined, no: false }), ' title="&quot;&gt;&lt;b&gt;" hidden x="3"');
  });
});
