import type { IndexedOp, Op, OpType } from '../core/op.ts';
import { MAX_VALUE_DEPTH } from './depth.ts';
import { EdnChar, EdnMap, EdnSet, EdnSymbol, EdnTagged, EdnWholeFloat, Keyword, describe, parseEdnForms, printEdn } from './edn-parse.ts';
import { HistoryFormatError } from './format-error.ts';
import { readHistoryText } from './input-file.ts';
import type { ParsedHistory } from './reader.ts';

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

const TYPES: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);
const KNOWN = new Set(['type', 'f', 'value', 'process', 'time', 'index', 'error', 'node', 'region', 'key']);
const RECORD_TAGS: ReadonlySet<string> = new Set(['jepsen.history.Op']);

type Warn = (msg: string) => void;

/**
 * An op read from one form. A client value that may be an `independent` [key value] tuple stays EDN in `raw` until
 * the whole history shows whether it is one; every other value is converted at once, so the EDN tree can go.
 */
interface Read {
  op: Op;
  raw?: [unknown, unknown];
  line: number;
  /** False when the form had no :process (allowed only in a history of completions alone). */
  hasProcess: boolean;
}

/** Name of a keyword or a string; undefined for anything else. */
const nameOf = (v: unknown): string | undefined => (v instanceof Keyword ? v.name : typeof v === 'string' ? v : undefined);

/**
 * A key as Rift holds it: a safe integer stays a number (`asNumber`) or becomes its digits, anything else becomes its
 * EDN text (`:x`, `"x"`, `[:anti 3]`). Equal EDN values give the same key and different ones never the same.
 */
function keyOf(k: unknown, asNumber: boolean): string | number {
  if (typeof k === 'number' && Number.isSafeInteger(k)) return asNumber ? k : String(k);
  return printEdn(k);
}

/** EDN data as JSON. Keywords and symbols become their names; sets become arrays; #inst/#uuid their text. */
function toJson(v: unknown, warn: Warn, fail: (msg: string) => never): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`the number ${String(v)} is too large for a JSON number`);
    return v;
  }
  if (typeof v === 'bigint') {
    warn(`integer ${v} is too large for a JSON number; kept as text`);
    return v.toString();
  }
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnChar) return v.char;
  if (v instanceof EdnWholeFloat) return v.value;
  if (v instanceof EdnTagged) return v.text;
  if (Array.isArray(v)) return v.map((x) => toJson(x, warn, fail));
  if (v instanceof EdnSet) return v.items.map((x) => toJson(x, warn, fail));
  if (v instanceof EdnMap) {
    const out: Record<string, unknown> = {};
    const from = new Map<string, unknown>();
    for (const [k, x] of v.entries) {
      const name = nameOf(k) ?? printEdn(k);
      if (from.has(name)) fail(`a map has two keys that would both become ${JSON.stringify(name)} (${printEdn(from.get(name))} and ${printEdn(k)})`);
      from.set(name, k);
      Object.defineProperty(out, name, { value: toJson(x, warn, fail), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return fail(`cannot hold ${describe(v)} in a history`);
}

/** Whether a value has a transaction's shape: a vector of `[f k v]` micro-ops with keyword `f`s. */
const isTxnValue = (v: unknown): v is unknown[][] =>
  Array.isArray(v) && v.every((m) => Array.isArray(m) && m.length === 3 && m[0] instanceof Keyword);

/** A txn's micro-ops as JSON, their keys converted with keyOf so that `:x`, `"x"` and `[:anti 3]` stay distinct. */
function txnToJson(v: unknown, warn: Warn, fail: (msg: string) => never): unknown {
  if (!isTxnValue(v)) return toJson(v, warn, fail);
  return v.map((m) => [toJson(m[0], warn, fail), keyOf(m[1], true), toJson(m[2], warn, fail)]);
}

function readOp(form: unknown, file: string, line: number, warn: Warn, mayBeTuple: boolean): Read {
  const fail = (msg: string): never => {
    throw new HistoryFormatError(file, line, msg);
  };
  if (!(form instanceof EdnMap)) return fail(`expected an op map {:type … :f … :process …} (got ${describe(form)})`);
  const fields = new Map<string, unknown>();
  for (const [k, v] of form.entries) {
    const name = k instanceof Keyword ? k.name : printEdn(k);
    if (fields.has(name)) fail(`the op map has the key ${printEdn(k)} twice`);
    fields.set(name, v);
  }
  const type = nameOf(fields.get('type'));
  if (type === undefined || !TYPES.has(type)) fail(`:type must be one of :invoke :ok :fail :info (got ${fields.has('type') ? describe(fields.get('type')) : 'nothing'})`);
  const rawP = fields.get('process');
  const p = nameOf(rawP) === 'nemesis' ? 'nemesis' : rawP;
  if (rawP !== undefined && !(p === 'nemesis' || (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0))) {
    fail(`:process must be an integer >= 0 or :nemesis (got ${describe(rawP)})`);
  }
  const raw = fields.get('value');
  let f = nameOf(fields.get('f'));
  // Elle's test histories leave out :f on transactions.
  if (!fields.has('f') && isTxnValue(raw)) f = 'txn';
  if (f === undefined || f === '') fail(`:f must be a keyword or string (got ${fields.has('f') ? describe(fields.get('f')) : 'nothing'})`);
  const time = fields.get('time');
  if (time !== undefined && !(typeof time === 'number' && Number.isSafeInteger(time))) {
    fail(`:time must be an integer number of nanoseconds (got ${describe(time)})`);
  }
  const op: Op = { type: type as OpType, process: (p ?? 0) as Op['process'], f: f!, value: null, time: (time as number | undefined) ?? Number.NaN };
  const error = fields.get('error');
  if (error !== undefined && error !== null) {
    const e = toJson(error, warn, fail);
    op.error = typeof e === 'string' ? e : JSON.stringify(e);
  }
  for (const field of ['node', 'region'] as const) {
    const v = fields.get(field);
    if (v !== undefined && v !== null) op[field] = nameOf(v) ?? printEdn(v);
  }
  const key = fields.get('key');
  if (key !== undefined && key !== null) op.key = String(keyOf(key, false));
  const meta: Record<string, unknown> = {};
  for (const [k, v] of fields) if (!KNOWN.has(k)) Object.defineProperty(meta, k, { value: toJson(v, warn, fail), enumerable: true, writable: true, configurable: true });
  if (Object.keys(meta).length) op.meta = meta;
  const read: Read = { op, line, hasProcess: rawP !== undefined };
  if (mayBeTuple && op.f !== 'txn' && op.process !== 'nemesis' && isTuple(raw)) read.raw = raw;
  else op.value = op.f === 'txn' ? txnToJson(raw, warn, fail) : toJson(raw, warn, fail);
  return read;
}

const isTuple = (v: unknown): v is [unknown, unknown] => Array.isArray(v) && v.length === 2;

/**
 * Elle's test histories hold completions only. Each gets an invoke of its own, placed right after the previous
 * completion of its process (or at the start): all the history tells is that a process runs one op at a time.
 */
function addInvokes(reads: Read[]): Read[] {
  const head: Read[] = [];
  const after = new Map<Read, Read[]>();
  const last = new Map<Op['process'], Read>();
  // A loop rather than Math.min(...times): spreading 10^5 arguments overflows the stack.
  let start = Infinity;
  for (const r of reads) if (r.op.time < start) start = r.op.time;
  if (start === Infinity) start = Number.NaN;
  for (const r of reads) {
    if (r.op.process === 'nemesis') continue;
    const prev = last.get(r.op.process);
    const value = Array.isArray(r.op.value) && r.op.f === 'txn'
      ? (r.op.value as unknown[]).map((m) => (Array.isArray(m) && m[0] === 'r' ? [m[0], m[1], null] : m))
      : r.op.value;
    const invoke: Read = { op: { ...r.op, type: 'invoke', value, time: prev ? prev.op.time : start }, raw: r.raw, line: r.line, hasProcess: true };
    delete invoke.op.error;
    if (prev) after.get(prev)!.push(invoke);
    else head.push(invoke);
    after.set(r, []);
    last.set(r.op.process, r);
  }
  return [...head, ...reads.flatMap((r) => [r, ...(after.get(r) ?? [])])];
}

/**
 * Reads a Jepsen `history.edn` into Rift ops with line numbers: one op map per line, or one top-level vector or list
 * of them (as Clojure's pprint writes), records (`#jepsen.history.Op{…}`) included. Keywords become strings,
 * `:process :nemesis` becomes "nemesis"; `:fail` and `:info` keep their meaning. Jepsen logs both halves of a nemesis
 * op as `:info`, so the first of each pair becomes the `invoke` (HISTORY.md pairs nemesis invoke/info). Keys (of
 * micro-ops, `independent` tuples and `:key`) keep their EDN identity: `:x`, `"x"` and `[:anti 3]` stay three keys.
 * A history of completions alone (Elle's tests) gets invokes (see addInvokes); a txn may leave out `:f`. Ops without
 * `:time` (Knossos test data) get their position as time, with a warning. Fields Rift has no place for go into
 * `meta`. Malformed input throws HistoryFormatError naming the line.
 */
export function parseEdnHistory(text: string, file = '<history.edn>', opts: EdnOptions = {}): EdnHistory {
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warnAt = (line: number) => (msg: string) => {
    const w = `${file}:${line}: ${msg}`;
    if (warned.has(w)) return;
    warned.add(w);
    warnings.push(w);
  };
  const failAt = (line: number) => (msg: string): never => {
    throw new HistoryFormatError(file, line, msg);
  };
  let reads: Read[] = [];
  const mayBeTuple = opts.independent !== false;
  const { truncatedTail } = parseEdnForms(text, file, { maxDepth: MAX_VALUE_DEPTH + 1, recordTags: RECORD_TAGS }, (form, line) => {
    reads.push(readOp(form, file, line, warnAt(line), mayBeTuple));
  });

  let nemesisOpen = false;
  for (const { op } of reads) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') nemesisOpen = true;
    else if (op.type === 'info' && !nemesisOpen) {
      op.type = 'invoke';
      nemesisOpen = true;
    } else nemesisOpen = false;
  }

  const client = reads.filter((r) => r.op.process !== 'nemesis');
  const independent = opts.independent === true
    || ((opts.independent ?? 'auto') === 'auto' && client.length > 0 && client.every((r) => r.raw !== undefined) && client.some((r) => r.op.f !== 'cas'));
  for (const r of client) {
    if (independent && r.raw === undefined) {
      throw new HistoryFormatError(file, r.line, `independent history: :value must be a [key value] tuple (got ${describe(r.op.value)})`);
    }
    if (r.raw === undefined) continue;
    if (independent) {
      r.op.key = String(keyOf(r.raw[0], false));
      r.op.value = toJson(r.raw[1], warnAt(r.line), failAt(r.line));
    } else r.op.value = toJson(r.raw, warnAt(r.line), failAt(r.line));
    delete r.raw;
  }

  const completionsOnly = client.length > 0 && client.every((r) => r.op.type !== 'invoke');
  if (completionsOnly) {
    let next = 0;
    for (const r of client) if (r.hasProcess && typeof r.op.process === 'number' && r.op.process >= next) next = r.op.process + 1;
    for (const r of client) if (!r.hasProcess) r.op.process = next++;
    reads = addInvokes(reads);
    warnings.push(`${file}: the history has no :invoke ops (completions alone, as Elle's tests write them); each op is taken to have begun when the previous op of its process completed`);
  } else {
    const missing = client.find((r) => !r.hasProcess);
    if (missing) throw new HistoryFormatError(file, missing.line, ':process is missing (only a history of completions alone may leave it out)');
  }

  let synthesized = 0;
  const ops: IndexedOp[] = reads.map((r, i) => {
    const op = r.op;
    if (Number.isNaN(op.time)) {
      op.time = i;
      synthesized++;
    }
    // Extended in place rather than spread: a spread copy gets a hidden class of its own, slowing every later read.
    const o = op as IndexedOp;
    o.index = i;
    o.line = r.line;
    return o;
  });
  if (synthesized) warnings.push(`${file}: ${synthesized} ops had no :time; their position in the history was used instead`);
  return truncatedTail ? { ops, truncatedTail, warnings } : { ops, warnings };
}

/** Reads a history.edn; a non-regular file or bytes that are not UTF-8 are refused (see input-file.ts). */
export async function readEdnHistory(file: string, opts: EdnOptions = {}): Promise<EdnHistory> {
  return parseEdnHistory(await readHistoryText(file), file, opts);
}
