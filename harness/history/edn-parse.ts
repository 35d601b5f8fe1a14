import { HistoryFormatError } from './format-error.ts';

/**
 * An EDN reader for histories: the text becomes a tree in which keywords, symbols, characters, maps and sets keep
 * their EDN identity (so that `:x` and `"x"` stay different keys), each top-level form with the line it starts on.
 * It runs iteratively with its own stack, so deep nesting is an error naming the line rather than a stack overflow,
 * and reads a 50 MB string in one pass over the text.
 */

export class Keyword {
  constructor(readonly name: string) {}
}
export class EdnSymbol {
  constructor(readonly name: string) {}
}
export class EdnChar {
  constructor(readonly char: string) {}
}
/** A decimal with an integral value (`1.0`): a number in values, but as a key it must stay apart from the integer 1. */
export class EdnWholeFloat {
  constructor(readonly value: number) {}
}
/** A map in source order; EDN keys may be any value, so they are kept as read. */
export class EdnMap {
  constructor(readonly entries: [unknown, unknown][]) {}
  get(name: string): unknown {
    for (const [k, v] of this.entries) if (k instanceof Keyword && k.name === name) return v;
    return undefined;
  }
}
export class EdnSet {
  constructor(readonly items: unknown[]) {}
}
/** `#inst` and `#uuid`: EDN's built-in tagged values, checked and kept as their text. */
export class EdnTagged {
  constructor(readonly tag: 'inst' | 'uuid', readonly text: string) {}
}

export interface EdnForms {
  /** The forms were the elements of one top-level vector or list (as Clojure's pprint writes a history). */
  container: boolean;
  /** The last form was cut off on the last line (a writer that crashed mid-line); the forms before it stand. */
  truncatedTail?: { line: number; text: string };
}

export interface EdnParseOptions {
  /** Deepest nesting of collections allowed, a top-level container not counted. */
  maxDepth: number;
  /** Record tags read as the map they carry (Jepsen ≥ 0.3 prints ops as `#jepsen.history.Op{…}`). */
  recordTags: ReadonlySet<string>;
}

type Kind = 'vector' | 'list' | 'map' | 'set';
const CLOSE: Record<Kind, number> = { vector: 93, list: 41, map: 125, set: 125 };
const CLOSE_CHAR: Record<Kind, string> = { vector: ']', list: ')', map: '}', set: '}' };

type Prefix = { discard: true; line: number } | { discard: false; tag: string; line: number };

interface Frame {
  kind: Kind | 'top';
  items: unknown[];
  line: number;
  /** Whether each element, once read, goes to `onForm` rather than into `items`. */
  sink: boolean;
  pending: Prefix[];
  /** Line the element being read started on, or -1 between elements. */
  start: number;
}

const isWs = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13 || c === 44 || c === 12;
/** Characters that end a token: whitespace, brackets, quote, semicolon. */
const isDelim = (c: number): boolean => isWs(c) || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 34 || c === 59;

const INT = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;
const SYMBOL = /^(?:[A-Za-z*!_?$%&=<>.+-][\w*!?$%&=<>.:#'+-]*|\/)(?:\/[A-Za-z*!_?$%&=<>.+-][\w*!?$%&=<>.:#'+-]*)?$/;
const CHARS: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', formfeed: '\f', backspace: '\b' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
/** RFC 3339 as #inst takes it: a date, optionally a time with fraction and offset. */
const INST = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Reads the forms of `text`, handing each top-level one (or each element of a top-level vector or list) to `onForm`
 * with the line it starts on as soon as it is read, so that only one op's EDN tree is alive at a time.
 */
export function parseEdnForms(text: string, file: string, opts: EdnParseOptions, onForm: (value: unknown, line: number) => void): EdnForms {
  let pos = 0;
  let line = 1;
  const n = text.length;
  const fail = (msg: string, at = line): never => {
    throw new HistoryFormatError(file, at, msg);
  };

  // One object per distinct keyword: a history repeats a handful (:type :ok :f …) in every op.
  const keywords = new Map<string, Keyword>();
  const top: Frame = { kind: 'top', items: [], line: 1, sink: true, pending: [], start: -1 };
  const stack: Frame[] = [top];
  let container = false;
  /** Where the top-level form being read began, to tell a cut last line from a broken one. */
  let topStartPos = -1;
  /** The error is the input ending inside a form, which is what a writer cut off mid-line leaves. */
  let endedInside = false;
  const cut = (msg: string, at: number): never => {
    endedInside = true;
    return fail(msg, at);
  };

  const skipBlank = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        pos++;
      } else if (isWs(c)) pos++;
      else if (c === 59) {
        const nl = text.indexOf('\n', pos);
        pos = nl < 0 ? n : nl;
      } else break;
    }
  };
  const begin = (f: Frame): void => {
    if (f.start === -1) {
      f.start = line;
      if (f === top) topStartPos = pos;
    }
  };
  const emit = (v: unknown): void => {
    const f = stack[stack.length - 1];
    while (f.pending.length > 0) {
      const p = f.pending.pop()!;
      if (p.discard) {
        if (f.pending.length === 0) f.start = -1;
        return;
      }
      v = applyTag(p.tag, v, p.line);
    }
    if (f.sink) onForm(v, f.start);
    else f.items.push(v);
    f.start = -1;
  };
  const applyTag = (tag: string, v: unknown, at: number): unknown => {
    if (tag === 'inst') {
      if (typeof v !== 'string') return fail(`#inst takes a string (got ${describe(v)})`, at);
      const m = INST.exec(v);
      const ok = m !== null && (m[2] === undefined || (+m[2] >= 1 && +m[2] <= 12)) && (m[3] === undefined || (+m[3] >= 1 && +m[3] <= 31))
        && (m[4] === undefined || +m[4] <= 23) && (m[5] === undefined || +m[5] <= 59) && (m[6] === undefined || +m[6] <= 60);
      if (!ok) return fail(`#inst ${JSON.stringify(v)} is not an RFC 3339 timestamp`, at);
      return new EdnTagged('inst', v);
    }
    if (tag === 'uuid') {
      if (typeof v !== 'string' || !UUID.test(v)) return fail(`#uuid ${describe(v)} is not a UUID`, at);
      return new EdnTagged('uuid', v);
    }
    if (opts.recordTags.has(tag)) {
      if (!(v instanceof EdnMap)) return fail(`#${tag} must tag a map (got ${describe(v)})`, at);
      return v;
    }
    return fail(`tagged literal #${tag} is not supported (only #inst, #uuid and ${[...opts.recordTags].map((t) => '#' + t).join(', ')})`, at);
  };
  /** Next backslash at or after a position, cached: positions only grow, so the whole text is searched once. */
  let nextBackslash = -2;
  const backslashFrom = (i: number): number => {
    if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = text.indexOf('\\', i);
    return nextBackslash === -1 ? n : nextBackslash;
  };
  let nextNewline = -2;
  const countLines = (from: number, to: number): void => {
    if (nextNewline !== -1 && nextNewline < from) nextNewline = text.indexOf('\n', from);
    while (nextNewline !== -1 && nextNewline < to) {
      line++;
      nextNewline = text.indexOf('\n', nextNewline + 1);
    }
  };
  // Native searches for the quote and the next escape: a 50 MB string is then read at memory speed.
  const readString = (): string => {
    const startLine = line;
    let i = pos + 1;
    let out = '';
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) return cut('unterminated string', startLine);
      const b = backslashFrom(i);
      if (b > q) {
        countLines(i, q);
        out += text.slice(i, q);
        pos = q + 1;
        return out;
      }
      countLines(i, b);
      out += text.slice(i, b);
      const e = text[b + 1];
      if (e === 'u') {
        const hex = text.slice(b + 2, b + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail(`bad \\u escape in a string: \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i = b + 6;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        i = b + 2;
      } else if (e === undefined) {
        return cut('unterminated string', startLine);
      } else return fail(`unknown escape \\${e} in a string`);
    }
  };
  const readToken = (): string => {
    const s = pos;
    pos++;
    while (pos < n && !isDelim(text.charCodeAt(pos))) pos++;
    return text.slice(s, pos);
  };
  const atom = (tok: string): unknown => {
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    const c = tok.charCodeAt(0);
    const digitAt = c === 43 || c === 45 ? tok.charCodeAt(1) : c;
    if (digitAt >= 48 && digitAt <= 57) {
      if (INT.test(tok)) {
        const digits = tok.endsWith('N') ? tok.slice(0, -1) : tok;
        const v = Number(digits);
        return Number.isSafeInteger(v) ? v : BigInt(digits);
      }
      if (FLOAT.test(tok)) {
        const v = Number(tok.endsWith('M') ? tok.slice(0, -1) : tok);
        return Number.isInteger(v) ? new EdnWholeFloat(v) : v;
      }
      return fail(`${tok} is not a number EDN can hold here (integers and decimals are; ratios and radix numbers are not)`);
    }
    if (c === 58) {
      const name = tok.slice(1);
      if (name === '' || name.startsWith(':') || name.endsWith('/')) return fail(`${tok} is not a valid keyword`);
      let k = keywords.get(name);
      if (k === undefined) keywords.set(name, (k = new Keyword(name)));
      return k;
    }
    if (c === 92) {
      const ch = tok.slice(1);
      if (ch.length === 1) return new EdnChar(ch);
      if (Object.hasOwn(CHARS, ch)) return new EdnChar(CHARS[ch]);
      if (/^u[0-9a-fA-F]{4}$/.test(ch)) return new EdnChar(String.fromCharCode(parseInt(ch.slice(1), 16)));
      return fail(`${tok} is not a valid character literal`);
    }
    if (!SYMBOL.test(tok)) return fail(`${JSON.stringify(tok)} is not valid EDN`);
    return new EdnSymbol(tok);
  };
  const open = (kind: Kind): void => {
    if (stack.length - 1 - (container ? 1 : 0) >= opts.maxDepth) fail(`nested deeper than ${opts.maxDepth} levels`);
    stack.push({ kind, items: [], line, sink: stack.length === 1 && container, pending: [], start: -1 });
  };
  const close = (c: number): void => {
    const f = stack[stack.length - 1];
    if (f.kind === 'top') return fail(`unexpected "${String.fromCharCode(c)}"`);
    if (CLOSE[f.kind] !== c) return fail(`mismatched "${String.fromCharCode(c)}" (the ${f.kind} opened on line ${f.line} closes with "${CLOSE_CHAR[f.kind]}")`);
    if (f.pending.length > 0) return fail(`${f.pending[0].discard ? '#_' : '#' + (f.pending[0] as { tag: string }).tag} has no form after it`, f.pending[0].line);
    stack.pop();
    pos++;
    if (f.kind === 'map') {
      if (f.items.length % 2 !== 0) return fail(`a map needs a value for every key (the map opened on line ${f.line} has an odd number of forms)`, f.line);
      const entries: [unknown, unknown][] = [];
      for (let i = 0; i < f.items.length; i += 2) entries.push([f.items[i], f.items[i + 1]]);
      emit(new EdnMap(entries));
    } else if (f.kind === 'set') emit(new EdnSet(f.items));
    else if (stack.length === 1 && container) {
      closedContainer = true;
      f.start = -1;
    } else emit(f.items);
  };
  let closedContainer = false;

  const run = (): void => {
    skipBlank();
    const c0 = text.charCodeAt(pos);
    container = c0 === 91 || c0 === 40;
    for (;;) {
      skipBlank();
      if (pos >= n) break;
      const f = stack[stack.length - 1];
      if (container && stack.length === 1 && closedContainer) fail('text after the end of the history vector');
      const c = text.charCodeAt(pos);
      if (c === 41 || c === 93 || c === 125) {
        close(c);
        continue;
      }
      begin(f);
      if (c === 34) emit(readString());
      else if (c === 91) {
        open('vector');
        pos++;
      } else if (c === 40) {
        open('list');
        pos++;
      } else if (c === 123) {
        open('map');
        pos++;
      } else if (c === 35) {
        const d = text.charCodeAt(pos + 1);
        if (d === 123) {
          open('set');
          pos += 2;
        } else if (d === 95) {
          f.pending.push({ discard: true, line });
          pos += 2;
        } else if (d === 35) {
          const tok = readToken();
          fail(`${tok} has no JSON equivalent and cannot be part of a history`);
        } else {
          const at = line;
          const tok = readToken();
          if (tok.length < 2 || !SYMBOL.test(tok.slice(1))) fail(`${JSON.stringify(tok)} is not a valid tag`, at);
          f.pending.push({ discard: false, tag: tok.slice(1), line: at });
        }
      } else emit(atom(readToken()));
    }
    if (stack.length > 1) {
      const open = stack[stack.length - 1];
      if (container && stack.length === 2) fail('the history vector is never closed');
      cut(`unclosed form (the ${open.kind} opened on line ${open.line} is never closed)`, open.line);
    }
    if (top.pending.length > 0) cut(`${top.pending[0].discard ? '#_' : 'a tag'} has no form after it`, top.pending[0].line);
  };

  try {
    run();
  } catch (e) {
    // A line-per-op history cut mid-write: keep what came before, as the JSONL reader does. Only a last line may be
    // cut; an unclosed form earlier would otherwise swallow every op after it.
    if (endedInside && !container && e instanceof HistoryFormatError && topStartPos >= 0 && top.start !== -1 && !text.slice(topStartPos).trimEnd().includes('\n')) {
      return { container, truncatedTail: { line: top.start, text: text.slice(topStartPos).trimEnd() } };
    }
    throw e;
  }
  return { container };
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  const s = printEdn(v, 3);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * The EDN text of a value, canonical enough to be a key: equal values print equal, different ones differently
 * (a list prints as a vector, as Clojure holds them equal). `depth` bounds the walk for messages.
 */
export function printEdn(v: unknown, depth = Infinity): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Keyword) return ':' + v.name;
  if (v instanceof EdnWholeFloat) return v.value.toFixed(1);
  if (v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnChar) return '\\' + (Object.entries(CHARS).find(([, c]) => c === v.char)?.[0] ?? v.char);
  if (v instanceof EdnTagged) return `#${v.tag} ${JSON.stringify(v.text)}`;
  if (depth <= 0) return '…';
  if (Array.isArray(v)) return '[' + v.map((x) => printEdn(x, depth - 1)).join(' ') + ']';
  if (v instanceof EdnSet) return '#{' + v.items.map((x) => printEdn(x, depth - 1)).sort().join(' ') + '}';
  if (v instanceof EdnMap) {
    return '{' + v.entries.map(([k, x]) => `${printEdn(k, depth - 1)} ${printEdn(x, depth - 1)}`).sort().join(', ') + '}';
  }
  return String(v);
}
