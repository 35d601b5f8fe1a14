/**
 * Escaping for everything that reaches the page from a history or a checker: keys and values are arbitrary JSON,
 * so a value like `</script><img onerror=…>` must come out as text, never as markup.
 */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute content; quotes are escaped too so one function is safe in both places. */
export function esc(value: unknown): string {
  // Lone surrogates and NUL cannot be represented sensibly in the page; show a replacement character instead.
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** ` name="value"` pairs; undefined and false drop the attribute, true writes it bare. */
export function attrs(a: Readonly<Record<string, string | number | boolean | undefined>>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${esc(v)}"`;
  }
  return out;
}
