import type { IndexedOp, Op, OpType } from '../core/op.ts';
import { MAX_VALUE_DEPTH, nestsDeeperThan } from './depth.ts';
import { HistoryFormatError } from './format-error.ts';
import { readHistoryText } from './input-file.ts';

export { HistoryFormatError };

export interface ParsedHistory {
  ops: IndexedOp[];
  /** Set when the final line did not parse and was dropped (a run that crashed mid-write). */
  truncatedTail?: { line: number; text: string };
}

/** A value for a message; a missing field reads as "nothing", not as undefined. */
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

const TYPES: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);

function validate(raw: unknown, file: string, line: number): Op {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HistoryFormatError(file, line, 'expected a JSON object');
  }
  const o = raw as Record<string, unknown>;
  if (typeof o.type !== 'string' || !TYPES.has(o.type)) {
    throw new HistoryFormatError(file, line, `field "type" must be one of invoke, ok, fail, info (got ${show(o.type)})`);
  }
  const p = o.process;
  if (!(p === 'nemesis' || (typeof p === 'number' && Number.isInteger(p) && p >= 0))) {
    throw new HistoryFormatError(file, line, `field "process" must be an integer >= 0 or "nemesis" (got ${show(p)})`);
  }
  if (typeof o.f !== 'string' || o.f === '') {
    throw new HistoryFormatError(file, line, 'field "f" must be a non-empty string');
  }
  if (typeof o.time !== 'number' || !Number.isFinite(o.time)) {
    throw new HistoryFormatError(file, line, `field "time" must be a number of nanoseconds (got ${show(o.time)})`);
  }
  for (const field of ['key', 'region', 'node', 'error'] as const) {
    if (o[field] !== undefined && typeof o[field] !== 'string') {
      throw new HistoryFormatError(file, line, `field "${field}" must be a string when present`);
    }
  }
  if (o.meta !== undefined && (typeof o.meta !== 'object' || o.meta === null || Array.isArray(o.meta))) {
    throw new HistoryFormatError(file, line, 'field "meta" must be an object when present');
  }
  if (!('value' in o)) o.value = null;
  for (const field of ['value', 'meta'] as const) {
    if (nestsDeeperThan(o[field], MAX_VALUE_DEPTH)) {
      throw new HistoryFormatError(file, line, `field "${field}" nests deeper than ${MAX_VALUE_DEPTH} levels`);
    }
  }
  return o as unknown as Op;
}

/** Text up to this length is first parsed in one JSON.parse call (wholeText); longer text line by line only. */
const WHOLE_TEXT_MAX = 32 << 20;

/**
 * The values of `body`'s lines from one JSON.parse of them all, when every line holds exactly one JSON value; else
 * undefined (a blank line, a line that does not parse, or one holding two values), and the caller goes line by
 * line, which says where. One native call reads a history about three times as fast as one call per line, and a
 * `rift check` of a single history spends more time reading it than checking it.
 */
function wholeText(body: string): unknown[] | undefined {
  if (body.length > WHOLE_TEXT_MAX) return undefined;
  let values: unknown;
  try {
    // No JSON value spans a line (a newline inside a string is written \n), so each newline ends a value.
    values = JSON.parse(`[${body.replaceAll('\n', ',')}]`);
  } catch {
    return undefined;
  }
  let lines = 1;
  for (let nl = body.indexOf('\n'); nl !== -1; nl = body.indexOf('\n', nl + 1)) lines++;
  return Array.isArray(values) && values.length === lines ? values : undefined;
}

/**
 * Parses history.jsonl text. Every line must be a valid event, except that a final line that does not
 * parse is dropped and reported (the writer may have crashed mid-line); blank lines are allowed only at the end.
 */
export function parseHistory(text: string, file = '<history>'): ParsedHistory {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const ops: IndexedOp[] = [];
  const whole = end > 0 ? wholeText(text.slice(0, end)) : undefined;
  if (whole) {
    for (let i = 0; i < whole.length; i++) {
      const op = validate(whole[i], file, i + 1) as IndexedOp;
      op.index = i;
      op.line = i + 1;
      ops.push(op);
    }
    return { ops };
  }
  // Lines are cut one at a time rather than split up front, and each parsed object becomes the op itself: a large
  // history is then held once (as text) plus its ops, not also as an array of line strings and a copy of every op.
  let truncatedTail: ParsedHistory['truncatedTail'];
  let lineNo = 0;
  for (let start = 0; start < end;) {
    const nl = text.indexOf('\n', start);
    const stop = nl === -1 || nl > end ? end : nl;
    const line = text.slice(start, stop);
    const last = stop === end;
    start = stop + 1;
    lineNo++;
    if (line.trim() === '') throw new HistoryFormatError(file, lineNo, 'blank line inside the history');
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      if (last) {
        truncatedTail = { line: lineNo, text: line };
        break;
      }
      throw new HistoryFormatError(file, lineNo, `not valid JSON (${(e as Error).message})`);
    }
    const op = validate(raw, file, lineNo) as IndexedOp;
    op.index = ops.length;
    op.line = lineNo;
    ops.push(op);
  }
  return truncatedTail ? { ops, truncatedTail } : { ops };
}

/** Reads a history.jsonl; a non-regular file or bytes that are not UTF-8 are refused (see input-file.ts). */
export async function readHistory(file: string): Promise<ParsedHistory> {
  return parseHistory(await readHistoryText(file), file);
}

/** Gives plain ops (e.g. built in a test) the index and line a checker expects. */
export function indexOps(ops: readonly Op[]): IndexedOp[] {
  return ops.map((op, i) => ({ ...op, index: i, line: i + 1 }));
}
