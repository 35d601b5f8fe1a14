import { strict as assert } from 'node:assert';
import { parseJepsenEtcdLog, parseKvLog } from '../../../checkers/interop/porcupine-formats.ts';
import { pairOps } from '../../../harness/history/pairs.ts';

describe('interop: Porcupine test-data formats', () => {
  it('etcd logs: :fail :cas is an ok cas returning false, timeouts are info, nil is absent', () => {
    const log = [
      'some header line',
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 1\t:invoke\t:cas\t[nil 3]',
      'INFO  jepsen.util - 0\t:ok\t:read\tnil',
      'INFO  jepsen.util - 1\t:fail\t:cas\t[nil 3]',
      'INFO  jepsen.util - 2   :invoke   :write   4',
      'INFO  jepsen.util - 2\t:info\t:write\t:timed-out',
      'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 3\t:fail\t:read\t:timed-out',
    ].join('\n');
    const ops = parseJepsenEtcdLog(log, 'etcd.log');
    assert.equal(ops.length, 8);
    assert.deepEqual(
      ops.map((o) => [o.line, o.type, o.f, o.value]),
      [
        [2, 'invoke', 'read', null],
        [3, 'invoke', 'cas', [null, 3]],
        [4, 'ok', 'read', null],
        [5, 'ok', 'cas', false],
        [6, 'invoke', 'write', 4],
        [7, 'info', 'write', null],
        [8, 'invoke', 'read', null],
        [9, 'info', 'read', null],
      ],
    );
    assert.deepEqual(pairOps(ops).map((p) => p.type), ['ok', 'ok', 'info', 'info']);
  });

  it('kv logs: one EDN map per line', () => {
    const log = [
      '{:process 0, :type :invoke, :f :append, :key "3", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "3", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "3", :value "x 0 0 y"}',
      '{:process 1, :type :ok, :f :get, :key "3", :value ""}',
    ].join('\n');
    const ops = parseKvLog(log);
    assert.deepEqual(
      ops.map((o) => [o.type, o.process, o.f, o.key, o.value]),
      [
        ['invoke', 0, 'append', '3', 'x 0 0 y'],
        ['invoke', 1, 'get', '3', null],
        ['ok', 0, 'append', '3', 'x 0 0 y'],
        ['ok', 1, 'get', '3', ''],
      ],
    );
  });

  it('malformed lines are errors naming file and line', () => {
    assert.throws(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x :ok :read 1', 'e.log'), /^HistoryFormatError: e\.log:2: not a "P :type :f value" event/);
    assert.throws(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:write\tfoo', 'e.log'), /e\.log:1: unrecognised value "foo"/);
    assert.throws(() => parseKvLog('{:process 0, :type :info, :f :get, :key "1", :value nil}', 'k.txt'), /k\.txt:1: not a \{:process/);
  });
});
