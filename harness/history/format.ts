/** The history formats `rift check` reads. */
export type HistoryFormat = 'jsonl' | 'edn';

/**
 * A history's format from its name, or else from its first character: Jepsen EDN opens with `{:`, a vector, a list,
 * a tag or a comment; anything else is read as Rift JSONL (whose errors then name the line).
 */
export function guessFormat(file: string, text: string): HistoryFormat {
  if (/\.edn$/i.test(file)) return 'edn';
  if (/\.(jsonl|ndjson|json)$/i.test(file)) return 'jsonl';
  const m = /^\s*(\{\s*(.)|[([#;])/.exec(text.slice(0, 256));
  if (m === null) return 'jsonl';
  return m[2] === undefined || m[2] === ':' ? 'edn' : 'jsonl';
}
