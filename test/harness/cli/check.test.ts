import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RIFT = resolve('bin/rift.mjs');
const rift = (...args: string[]) => {
  const r = spawnSync(process.execPath, [RIFT, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const line = (o: object) => JSON.stringify(o);

describe('rift check (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-check-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, lines: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  };

  it('names the line of malformed JSON and exits 65', () => {
    const p = write('h.jsonl', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
      '{"type": "invoke", "process": 1, ',
      line({ type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 4 }),
    ]);
    const r = rift('check', p, '--model', 'register');
    assert.equal(r.code, 65, r.err);
    assert.match(r.err, /h\.jsonl:3: not valid JSON/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });

  it('names the line and the field of an invalid event and exits 65', () => {
    const p = write('h.jsonl', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'done', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
    ]);
    const r = rift('check', p);
    assert.equal(r.code, 65);
    assert.match(r.err, /h\.jsonl:2: field "type"/);
  });

  it('rejects a completion with no invoke, naming its line, with 65', () => {
    const p = write('h.jsonl', [line({ type: 'ok', process: 3, f: 'read', key: 'x', value: null, time: 1 })]);
    const r = rift('check', p);
    assert.equal(r.code, 65, r.out + r.err);
    assert.match(r.err, /:1:/);
  });

  it('exits 64 on an unknown flag, an unknown checker or an unknown model', () => {
    const p = write('h.jsonl', [line({ type: 'invoke', process: 0, f: 'read', key: 'x', value: null, time: 1 })]);
    assert.equal(rift('check', p, '--frobnicate').code, 64);
    assert.equal(rift('check', p, '--checker', 'nope').code, 64);
    assert.equal(rift('check', p, '--model', 'queue').code, 64);
    assert.equal(rift('check').code, 64);
  });

  it('exits 0 for a linearizable history and 1 for a stale read, writing results.json', () => {
    const ok = write('ok.jsonl', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
      line({ type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 3 }),
      line({ type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 4 }),
    ]);
    const r0 = rift('check', ok, '--model', 'register');
    assert.equal(r0.code, 0, r0.out + r0.err);
    assert.equal(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).valid, true);

    const bad = write('bad.jsonl', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 2, time: 3 }),
      line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 2, time: 4 }),
      line({ type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 5 }),
      line({ type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 6 }),
    ]);
    const r1 = rift('check', bad, '--model', 'register', '--out', join(dir, 'out'));
    assert.equal(r1.code, 1, r1.out + r1.err);
    assert.match(r1.out, /linearizable\s+INVALID/);
    const res = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    assert.equal(res.valid, false);
    assert.ok(existsSync(join(dir, 'out', 'results.json')));
  });

  it('reads a Jepsen history.edn', () => {
    const p = join(dir, 'history.edn');
    writeFileSync(p, [
      '{:type :invoke, :f :write, :value 3, :process 0, :time 10}',
      '{:type :ok, :f :write, :value 3, :process 0, :time 20}',
      '{:type :invoke, :f :read, :value nil, :process 1, :time 30}',
      '{:type :ok, :f :read, :value 0, :process 1, :time 40}',
    ].join('\n') + '\n');
    const r = rift('check', p, '--model', 'cas-register');
    assert.equal(r.code, 1, r.out + r.err);
    const good = join(dir, 'good.edn');
    writeFileSync(good, readFileSync(p, 'utf8').replace(':value 0,', ':value 3,'));
    assert.equal(rift('check', good, '--model', 'cas-register').code, 0);
  });

  it('checks several checkers at once and merges their verdicts', () => {
    const p = write('h.jsonl', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
    ]);
    const r = rift('check', p, '--checker', 'linearizable,stats', '--model', 'register');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /stats/);
  });
});
