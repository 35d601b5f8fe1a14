import type { IndexedOp, Op } from '../../harness/core/op.ts';
import { HistoryFormatError } from '../../harness/history/reader.ts';

/**
 * Readers for the two history formats of Porcupine's test data (see shared/conformance/porcupine/VERDICTS.md),
 * producing Rift events so the same checker and the same pairing rules apply. Event order is file order:
 * `index` and `time` both count events, `line` is the line in the file.
 */

const JEPSEN_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

function jepsenValue(text: string, file: string, line: number): unknown {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const pair = /^\[\s*(nil|-?\d+)\s+(nil|-?\d+)\s*\]$/.exec(text);
  if (pair) return [pair[1] === 'nil' ? null : Number(pair[1]), pair[2] === 'nil' ? null : Number(pair[2])];
  if (text === ':timed-out') return ':timed-out';
  throw new HistoryFormatError(file, line, `unrecognised value ${JSON.stringify(text)} (expected nil, an integer, [a b] or :timed-out)`);
}

/**
 * `jepsen/etcd_NNN.log`, an etcd compare-and-set register (model 'cas-register', starting absent):
 * `:fail :cas` is a cas that completed with `false` (the compare failed); `:fail :read :timed-out` and
 * `:info` are completions of unknown outcome. Lines that are not jepsen.util events are skipped.
 */
export function parseJepsenEtcdLog(text: string, file = '<etcd log>'): IndexedOp[] {
  const out: IndexedOp[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (!raw.includes('jepsen.util')) continue;
    const m = JEPSEN_LINE.exec(raw);
    if (!m) throw new HistoryFormatError(file, lineNo, `not a "P :type :f value" event: ${JSON.stringify(raw)}`);
    const [, proc, kind, f, valueText] = m;
    const value = jepsenValue(valueText, file, lineNo);
    const base = { process: Number(proc), f, key: 'etcd', index: out.length, time: out.length, line: lineNo };
    let op: Op;
    if (kind === 'invoke') op = { ...base, type: 'invoke', value: f === 'read' ? null : value };
    else if (kind === 'info' || value === ':timed-out') op = { ...base, type: 'info', value: null, error: 'timed-out' };
    else if (f === 'cas') op = { ...base, type: 'ok', value: kind === 'ok' };
    else if (kind === 'fail') throw new HistoryFormatError(file, lineNo, `a failed ${f} that did not time out has no meaning in this format`);
    else op = { ...base, type: 'ok', value };
    out.push(op as IndexedOp);
  }
  return out;
}

const KV_LINE = /^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "([^"]*)", :value (nil|"[^"]*")\}\s*$/;

/** `kv/cNN-{ok,bad}.txt`: get/put/append on string values per key (model 'kv' with initial ''). */
export function parseKvLog(text: string, file = '<kv log>'): IndexedOp[] {
  const out: IndexedOp[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const m = KV_LINE.exec(raw);
    if (!m) throw new HistoryFormatError(file, lineNo, `not a {:process :type :f :key :value} event: ${JSON.stringify(raw)}`);
    const [, proc, type, f, key, valueText] = m;
    const value = valueText === 'nil' ? null : valueText.slice(1, -1);
    out.push({ type: type as 'invoke' | 'ok', process: Number(proc), f, key, value, index: out.length, time: out.length, line: lineNo });
  }
  return out;
}
