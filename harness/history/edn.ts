import { readFile } from 'node:fs/promises';
import { parseEDNString } from 'edn-data';
import type { IndexedOp, Op, OpType } from '../core/op.ts';
import { HistoryFormatError, type ParsedHistory } from './reader.ts';

export interface EdnOptions {
  /**
   * Jepsen `independent` histories carry `[key value]` tuples as values. `true` splits every client value that
   * way; `'auto'` (default) does so only if every client op's value is a 2-element vector and some op is neither
   * a `cas` nor a `txn` (whose values are vectors of their own).
   */
  independent?: boolean | 'auto';
}

export interface EdnHistory extends ParsedHistory {
  /** Things converted with a loss worth knowing about (synthesised times, huge integers kept as text). */
  warnings: string[];
}

/** `cut`: the last form ran into the end of the input unclosed. */
interface Form { text: string; line: number; cut?: boolean }

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const isWs = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',';
const isDelim = (c: string): boolean => isWs(c) || '()[]{}";'.includes(c);

/**
 * Splits EDN text into its top-level forms, or the elements of one top-level vector, each with the line it starts
 * on. Only delimiters, strings, comments and character literals are understood here; the forms themselves are
 * parsed one at a time so that an error can name its line.
 */
function splitForms(text: string, file: string): { forms: Form[]; vector: boolean } {
  let pos = 0;
  let line = 1;
  const fail = (msg: string, at = line): never => {
    throw new HistoryFormatError(file, at, msg);
  };
  const advance = (to: number) => {
    for (; pos < to; pos++) if (text[pos] === '\n') line++;
  };
  const skipBlank = () => {
    while (pos < text.length) {
      const c = text[pos];
      if (isWs(c)) advance(pos + 1);
      else if (c === ';') {
        const nl = text.indexOf('\n', pos);
        advance(nl < 0 ? text.length : nl);
      } else break;
    }
  };
  const readString = () => {
    const start = line;
    let i = pos + 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string', start);
    advance(i + 1);
  };
  const readAtom = () => {
    let i = pos + 1;
    while (i < text.length && !isDelim(text[i])) i++;
    advance(i);
  };
  const readForm = (): void => {
    skipBlank();
    if (pos >= text.length) fail('expected a form after a tag or #_ but the input ended');
    const c = text[pos];
    if (c === '#' && text[pos + 1] === '_') {
      advance(pos + 2);
      readForm();
      return readForm();
    }
    if (c === '#' && text[pos + 1] !== '{') {
      readAtom();
      return readForm();
    }
    if (c === '"') return readString();
    if (c === '\\') return readAtom();
    if (c === ')' || c === ']' || c === '}') fail(`unexpected "${c}"`);
    if (c !== '#' && !(c in CLOSER)) return readAtom();
    const stack: string[] = [];
    const start = line;
    if (c === '#') advance(pos + 1);
    while (pos < text.length) {
      const d = text[pos];
      if (d in CLOSER) {
        stack.push(CLOSER[d]);
        advance(pos + 1);
      } else if (d === ')' || d === ']' || d === '}') {
        if (stack.pop() !== d) fail(`mismatched "${d}"`);
        advance(pos + 1);
        if (stack.length === 0) return;
      } else if (d === '"') readString();
      else if (d === ';') skipBlank();
      else if (d === '\\') advance(pos + 2);
      else advance(pos + 1);
    }
    fail(`unclosed form (missing ${stack.reverse().join('')})`, start);
  };

  skipBlank();
  const vector = text[pos] === '[';
  if (vector) advance(pos + 1);
  const forms: Form[] = [];
  for (;;) {
    skipBlank();
    if (pos >= text.length) {
      if (vector) fail('the history vector is never closed');
      break;
    }
    if (vector && text[pos] === ']') {
      advance(pos + 1);
      skipBlank();
      if (pos < text.length) fail('text after the end of the history vector');
      break;
    }
    const start = pos;
    const at = line;
    try {
      readForm();
    } catch (e) {
      // A line-per-op history cut mid-write: keep what came before, as the JSONL reader does. Only a last line
      // may be cut; an unclosed form earlier would otherwise swallow every op after it.
      if (!vector && e instanceof HistoryFormatError && !text.slice(start).trimEnd().includes('\n')) {
        forms.push({ text: text.slice(start), line: at, cut: true });
        break;
      }
      throw e;
    }
    forms.push({ text: text.slice(start, pos), line: at });
  }
  return { forms, vector };
}

const PARSE: Parameters<typeof parseEDNString>[1] = {
  mapAs: 'object',
  keywordAs: 'string',
  listAs: 'array',
  setAs: 'array',
  charAs: 'string',
  symbolAs: 'string',
  // Jepsen ≥ 0.3 prints ops as records; the record is the map.
  tagHandlers: { 'jepsen.history.Op': (v: unknown) => v },
};

/** EDN data as JSON: bigints become numbers when exact, else decimal text (with a warning). */
function toJson(v: unknown, warn: (msg: string) => void): unknown {
  if (typeof v === 'bigint') {
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    warn(`integer ${v} is too large for a JSON number; kept as text`);
    return v.toString();
  }
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(toJson(k, warn)), toJson(x, warn)]));
  if (v instanceof Set) return [...v].map((x) => toJson(x, warn));
  if (Array.isArray(v)) return v.map((x) => toJson(x, warn));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJson(x, warn)]));
  }
  return v;
}

const TYPES: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);
const KNOWN = new Set(['type', 'f', 'value', 'process', 'time', 'index', 'error', 'node', 'region', 'key']);

function toOp(raw: unknown, file: string, line: number, warn: (m: string) => void): Op {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new HistoryFormatError(file, line, 'expected an op map {:type … :f … :process …}');
  const m = raw as Record<string, unknown>;
  const type = m.type;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new HistoryFormatError(file, line, `:type must be one of :invoke :ok :fail :info (got ${JSON.stringify(toJson(type, warn)) ?? 'nothing'})`);
  }
  const p = typeof m.process === 'bigint' ? Number(m.process) : m.process;
  if (!(p === 'nemesis' || (typeof p === 'number' && Number.isInteger(p) && p >= 0))) {
    throw new HistoryFormatError(file, line, `:process must be an integer >= 0 or :nemesis (got ${JSON.stringify(toJson(p, warn)) ?? 'nothing'})`);
  }
  if (typeof m.f !== 'string' || m.f === '') throw new HistoryFormatError(file, line, `:f must be a keyword or string (got ${JSON.stringify(toJson(m.f, warn)) ?? 'nothing'})`);
  const time = typeof m.time === 'bigint' ? Number(m.time) : m.time;
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) {
    throw new HistoryFormatError(file, line, `:time must be an integer number of nanoseconds (got ${JSON.stringify(toJson(time, warn))})`);
  }
  const op: Op = { type: type as OpType, process: p as Op['process'], f: m.f, value: toJson(m.value, warn), time: (time as number | undefined) ?? Number.NaN };
  if (m.error !== undefined && m.error !== null) {
    const e = toJson(m.error, warn);
    op.error = typeof e === 'string' ? e : JSON.stringify(e);
  }
  if (typeof m.node === 'string') op.node = m.node;
  if (typeof m.region === 'string') op.region = m.region;
  if (m.key !== undefined && m.key !== null) op.key = String(toJson(m.key, warn));
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (!KNOWN.has(k)) meta[k] = toJson(v, warn);
  if (Object.keys(meta).length) op.meta = meta;
  return op;
}

const isTuple = (v: unknown): v is [unknown, unknown] => Array.isArray(v) && v.length === 2;

/**
 * Reads a Jepsen `history.edn` (one op map per line, or one vector of op maps) into Rift ops with line numbers.
 * Keywords become strings, `:process :nemesis` becomes "nemesis"; `:fail` and `:info` keep their meaning. Jepsen
 * logs both halves of a nemesis op as `:info`, so the first of each pair becomes the `invoke` (HISTORY.md pairs
 * nemesis invoke/info). Ops without `:time` (Knossos test data) get their position as time, with a warning.
 * Fields Rift has no place for go into `meta`. Malformed input throws HistoryFormatError naming the line.
 */
export function parseEdnHistory(text: string, file = '<history.edn>', opts: EdnOptions = {}): EdnHistory {
  const warnings: string[] = [];
  const warned = new Set<string>();
  const { forms, vector } = splitForms(text, file);
  const ops: Op[] = [];
  const lines: number[] = [];
  let truncatedTail: ParsedHistory['truncatedTail'];
  for (let i = 0; i < forms.length; i++) {
    const { text: src, line, cut } = forms[i];
    const warn = (msg: string) => {
      const w = `${file}:${line}: ${msg}`;
      if (warned.has(w)) return;
      warned.add(w);
      warnings.push(w);
    };
    if (cut) {
      truncatedTail = { line, text: src };
      break;
    }
    let raw: unknown;
    try {
      raw = parseEDNString(src, PARSE);
    } catch (e) {
      if (!vector && i === forms.length - 1 && !src.trimEnd().includes('\n')) {
        truncatedTail = { line, text: src };
        break;
      }
      throw new HistoryFormatError(file, line, `not valid EDN (${(e as Error).message})`);
    }
    ops.push(toOp(raw, file, line, warn));
    lines.push(line);
  }

  let nemesisOpen = false;
  for (const op of ops) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') nemesisOpen = true;
    else if (op.type === 'info' && !nemesisOpen) {
      op.type = 'invoke';
      nemesisOpen = true;
    } else nemesisOpen = false;
  }

  const client = ops.filter((o) => o.process !== 'nemesis');
  const independent = opts.independent === true
    || ((opts.independent ?? 'auto') === 'auto' && client.length > 0 && client.every((o) => o.f !== 'txn' && isTuple(o.value)) && client.some((o) => o.f !== 'cas'));
  if (independent) {
    for (const o of client) {
      if (!isTuple(o.value)) throw new HistoryFormatError(file, lines[ops.indexOf(o)], `independent history: :value must be a [key value] tuple (got ${JSON.stringify(o.value)})`);
      o.key = typeof o.value[0] === 'string' ? o.value[0] : JSON.stringify(o.value[0]);
      o.value = o.value[1];
    }
  }

  let synthesized = 0;
  const indexed: IndexedOp[] = ops.map((op, i) => {
    if (Number.isNaN(op.time)) {
      op.time = i;
      synthesized++;
    }
    // Extended in place rather than spread: a spread copy gets a hidden class of its own, slowing every later read.
    const o = op as IndexedOp;
    o.index = i;
    o.line = lines[i];
    return o;
  });
  if (synthesized) warnings.push(`${file}: ${synthesized} ops had no :time; their position in the history was used instead`);
  return truncatedTail ? { ops: indexed, truncatedTail, warnings } : { ops: indexed, warnings };
}

export async function readEdnHistory(file: string, opts: EdnOptions = {}): Promise<EdnHistory> {
  return parseEdnHistory(await readFile(file, 'utf8'), file, opts);
}
