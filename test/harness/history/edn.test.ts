import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEdnHistory, readEdnHistory } from '../../../harness/history/edn.ts';
import { HistoryFormatError } from '../../../harness/history/reader.ts';
import { pairOps } from '../../../harness/history/pairs.ts';

const throwsAt = (fn: () => unknown, line: number, msg: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof HistoryFormatError && e.line === line && msg.test(e.message));

describe('harness/history/edn', () => {
  it('reads one op map per line: keywords, txn values, nil, fail/info kept, line numbers', () => {
    const text = [
      '{:type :invoke, :f :txn, :value [[:append 1 2] [:r 1 nil]], :process 0, :time 100, :index 0}',
      '{:type :invoke, :f :txn, :value [[:r 2 nil]], :process 1, :time 150, :index 1}',
      '{:type :ok, :f :txn, :value [[:append 1 2] [:r 1 [2]]], :process 0, :time 200, :index 2}',
      '{:type :fail, :f :txn, :value [[:r 2 nil]], :process 1, :time 250, :error :conflict, :index 3}',
      '{:type :invoke, :f :txn, :value [[:append 2 5]], :process 1, :time 300}',
      '{:type :info, :f :txn, :value [[:append 2 5]], :process 1, :time 400, :error [:timeout "after 1s"]}',
      '',
    ].join('\n');
    const { ops, warnings, truncatedTail } = parseEdnHistory(text);
    assert.equal(truncatedTail, undefined);
    assert.deepEqual(warnings, []);
    assert.equal(ops.length, 6);
    assert.deepEqual(ops[0], { type: 'invoke', f: 'txn', value: [['append', 1, 2], ['r', 1, null]], process: 0, time: 100, index: 0, line: 1 });
    assert.deepEqual(ops[2].value, [['append', 1, 2], ['r', 1, [2]]]);
    assert.equal(ops[3].type, 'fail');
    assert.equal(ops[3].error, 'conflict');
    assert.equal(ops[5].type, 'info');
    assert.equal(ops[5].error, '["timeout","after 1s"]');
    assert.equal(pairOps(ops).length, 3);
  });

  it('reads a vector of pretty-printed maps, with the line each map starts on', () => {
    const text = '[{:type :invoke\n  :f :read\n  :value nil :process 0 :time 1}\n ; a comment with a } in it\n {:type :ok, :f :read, :value "a } \\" b",\n  :process 0, :time 2}]\n';
    const { ops } = parseEdnHistory(text);
    assert.deepEqual(ops.map((o) => [o.line, o.type, o.value]), [[1, 'invoke', null], [5, 'ok', 'a } " b']]);
  });

  it('turns Jepsen nemesis :info/:info pairs into invoke/info with process "nemesis"', () => {
    const text = [
      '{:type :info, :f :start-partition, :value nil, :process :nemesis, :time 10}',
      '{:type :info, :f :start-partition, :value [:isolated {"n1" #{"n2" "n3"}}], :process :nemesis, :time 20}',
      '{:type :info, :f :stop-partition, :value nil, :process :nemesis, :time 30}',
      '{:type :info, :f :stop-partition, :value :network-healed, :process :nemesis, :time 40}',
    ].join('\n');
    const { ops } = parseEdnHistory(text);
    assert.deepEqual(ops.map((o) => [o.process, o.type]), [['nemesis', 'invoke'], ['nemesis', 'info'], ['nemesis', 'invoke'], ['nemesis', 'info']]);
    assert.deepEqual(ops[1].value, ['isolated', { n1: ['n2', 'n3'] }]);
  });

  it('splits independent [k v] tuples into key and value, and leaves plain cas values alone', () => {
    const indep = [
      '{:type :invoke, :f :cas, :value [3 [1 2]], :process 0, :time 1}',
      '{:type :ok, :f :cas, :value [3 [1 2]], :process 0, :time 2}',
      '{:type :invoke, :f :read, :value [4 nil], :process 1, :time 3}',
      '{:type :ok, :f :read, :value [4 7], :process 1, :time 4}',
    ].join('\n');
    const { ops } = parseEdnHistory(indep);
    assert.deepEqual(ops.map((o) => [o.key, o.value]), [['3', [1, 2]], ['3', [1, 2]], ['4', null], ['4', 7]]);

    const plain = [
      '{:type :invoke, :f :cas, :value [1 2], :process 0, :time 1}',
      '{:type :ok, :f :cas, :value [1 2], :process 0, :time 2}',
    ].join('\n');
    assert.deepEqual(parseEdnHistory(plain).ops.map((o) => [o.key, o.value]), [[undefined, [1, 2]], [undefined, [1, 2]]]);
    assert.equal(parseEdnHistory(plain, 'h', { independent: true }).ops[0].key, '1');
    assert.equal(parseEdnHistory(indep, 'h', { independent: false }).ops[0].key, undefined);
  });

  it('accepts #jepsen.history.Op records, big integers and extra fields (into meta)', () => {
    const text = '#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 2, :f :add, :value 12345678901234567890N, :node "n1", :session 7}\n';
    const { ops, warnings } = parseEdnHistory(text, 'h.edn');
    assert.equal(ops[0].value, '12345678901234567890');
    assert.equal(ops[0].node, 'n1');
    assert.deepEqual(ops[0].meta, { session: 7 });
    assert.match(warnings[0], /^h\.edn:1: integer 12345678901234567890 is too large/);
  });

  it('uses the position as time when :time is missing (Knossos data), and warns', () => {
    const { ops, warnings } = parseEdnHistory('{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :read, :value 0}\n');
    assert.deepEqual(ops.map((o) => o.time), [0, 1]);
    assert.match(warnings[0], /2 ops had no :time/);
  });

  it('malformed input names the line', () => {
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process 0, :time 1}\n{:type :done, :f :r, :process 0, :time 2}\n', 'h.edn'), 2, /^h\.edn:2: :type must be one of/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process -1, :time 1}\n'), 1, /:process must be/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :process 0, :time 1}\n'), 1, /:f must be/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process 0, :time "x"}\n'), 1, /:time must be/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process 0, :time 1}\n[1 2]\n{:type :ok, :f :r, :process 0, :time 2}\n'), 2, /expected an op map/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process 0, :time 1}\n{:type :ok :f :r ]\n{:type :ok, :f :r, :process 0, :time 2}\n'), 2, /mismatched/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r, :process 0, :time 1}\n{:type :ok, :f :r, :process 0, :time 2\n{:type :ok, :f :r, :process 1, :time 3}\n'), 2, /unclosed form/);
    throwsAt(() => parseEdnHistory('[{:type :invoke, :f :r, :process 0, :time 1}\n'), 2, /never closed/);
    throwsAt(() => parseEdnHistory('[{:type :invoke, :f :r, :process 0, :time 1}] x'), 1, /after the end/);
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :read, :value [1 2], :process 0, :time 1}\n{:type :ok, :f :read, :value 3, :process 0, :time 2}\n', 'h', { independent: true }), 2, /\[key value\] tuple/);
  });

  it('drops a last line cut mid-write and reports it, like the JSONL reader', () => {
    const { ops, truncatedTail } = parseEdnHistory('{:type :invoke, :f :r, :process 0, :time 1}\n{:type :ok, :f :r, :pro');
    assert.equal(ops.length, 1);
    assert.deepEqual(truncatedTail, { line: 2, text: '{:type :ok, :f :r, :pro' });
  });

  it('reads a top-level list as Clojure pprint writes it, each op at the line it starts on', () => {
    const text = '({:process 0,\n  :type :invoke,\n  :f :read,\n  :value nil}\n {:process 0, :type :ok, :f :read, :value 3})\n';
    const { ops } = parseEdnHistory(text);
    assert.deepEqual(ops.map((o) => [o.line, o.type, o.value]), [[1, 'invoke', null], [5, 'ok', 3]]);
    throwsAt(() => parseEdnHistory('({:process 0, :type :invoke, :f :read} ]'), 1, /mismatched "\]" \(the list opened on line 1 closes with "\)"\)/);
  });

  it('keys keep their EDN identity: :x, "x", x-as-integer and [:anti 3] never merge, equal ones always do', () => {
    const text = '[{:type :ok, :value [[:append :x 1] [:append "x" 2] [:append 7 3] [:append [:anti 3] 4] [:append (:anti 3) 5] [:append 7.0 6.0]]}]';
    const { ops } = parseEdnHistory(text);
    const done = ops.find((o) => o.type === 'ok')!;
    assert.equal(done.f, 'txn');
    assert.deepEqual((done.value as unknown[][]).map((m) => m[1]), [':x', '"x"', 7, '[:anti 3]', '[:anti 3]', '7.0']);
    assert.equal((done.value as unknown[][])[5][2], 6);
    const indep = parseEdnHistory('{:type :invoke, :f :write, :value [:k 1], :process 0}\n{:type :ok, :f :write, :value [:k 1], :process 0}\n{:type :invoke, :f :write, :value ["k" 1], :process 0}\n');
    assert.deepEqual(indep.ops.map((o) => o.key), [':k', ':k', '"k"']);
  });

  it('a history of completions alone gets an invoke per op after the previous op of its process', () => {
    const text = '[{:type :ok, :process 0, :value [[:r :x nil]]}\n {:type :ok, :process 1, :value [[:append :x 1]]}\n {:type :fail, :process 0, :value [[:append :x 2]]}]\n';
    const { ops, warnings } = parseEdnHistory(text, 'e.edn');
    assert.deepEqual(ops.map((o) => [o.type, o.process, o.line]), [
      ['invoke', 0, 1], ['invoke', 1, 2], ['ok', 0, 1], ['invoke', 0, 3], ['ok', 1, 2], ['fail', 0, 3],
    ]);
    assert.deepEqual(ops[0].value, [['r', ':x', null]]);
    assert.equal(pairOps(ops).length, 3);
    assert.ok(warnings.some((w) => /no :invoke ops/.test(w)));
    throwsAt(() => parseEdnHistory('{:type :invoke, :f :r}\n{:type :ok, :f :r, :process 0}\n'), 1, /:process is missing/);
  });

  it('#inst is checked, #uuid kept, other tags, ratios and ##Inf refused naming the line', () => {
    const { ops } = parseEdnHistory('{:type :invoke, :f :w, :process 0, :value #inst "2026-12-06T10:00:00.5Z", :at #uuid "123e4567-e89b-12d3-a456-426614174000"}\n');
    assert.equal(ops[0].value, '2026-12-06T10:00:00.5Z');
    assert.deepEqual(ops[0].meta, { at: '123e4567-e89b-12d3-a456-426614174000' });
    const op = (v: string) => `{:type :invoke, :f :w, :process 0, :value 1}\n{:type :ok, :f :w, :process 0, :value ${v}}\n{:type :invoke, :f :w, :process 0, :value 1}\n`;
    throwsAt(() => parseEdnHistory(op('#inst "bogus"')), 2, /#inst "bogus" is not an RFC 3339 timestamp/);
    throwsAt(() => parseEdnHistory(op('#inst "2026-13-01"')), 2, /not an RFC 3339/);
    throwsAt(() => parseEdnHistory(op('#my/tag 3')), 2, /tagged literal #my\/tag is not supported/);
    throwsAt(() => parseEdnHistory(op('1/2')), 2, /ratios/);
    throwsAt(() => parseEdnHistory(op('##Inf')), 2, /no JSON equivalent/);
    throwsAt(() => parseEdnHistory(op('"a \\q"')), 2, /unknown escape/);
  });

  it('deep nesting is an error naming the line, not a stack overflow', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    throwsAt(() => parseEdnHistory(`{:type :invoke, :f :w, :process 0, :value 1}\n{:type :ok, :f :w, :process 0, :value ${deep}}\n`), 2, /nested deeper than/);
    const fine = '['.repeat(50) + ']'.repeat(50);
    assert.equal(parseEdnHistory(`{:type :invoke, :f :w, :process 0, :value ${fine}}\n`).ops.length, 1);
  });

  it('keeps strings exactly: escapes, \\u and characters outside the BMP', () => {
    const { ops } = parseEdnHistory('{:type :invoke, :f :w, :process 0, :value ["a\\tb\\u00e9\\"" "é\u{1F600}" ""]}\n');
    assert.deepEqual(ops[0].value, ['a\tb\u00e9"', 'é\u{1F600}', '']);
  });

  it('reads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rift-edn-'));
    try {
      const f = join(dir, 'history.edn');
      await writeFile(f, '{:type :invoke, :f :write, :value 3, :process 0, :time 1}\n{:type :ok, :f :write, :value 3, :process 0, :time 2}\n');
      const { ops } = await readEdnHistory(f);
      assert.equal(ops[1].type, 'ok');
      await writeFile(f, '{:type :bad, :f :write, :process 0, :time 1}\n{:type :ok, :f :write, :process 0, :time 2}\n');
      await assert.rejects(readEdnHistory(f), (e: unknown) => e instanceof HistoryFormatError && e.file === f && e.line === 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
