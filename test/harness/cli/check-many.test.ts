import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RIFT = resolve('bin/rift.mjs');
const line = (o: object) => JSON.stringify(o);

const VALID = [
  line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
  line({ type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }),
  line({ type: 'invoke', process: 1, f: 'read', key: 'x', value: null, time: 3 }),
  line({ type: 'ok', process: 1, f: 'read', key: 'x', value: 1, time: 4 }),
];
/** A read of a value nobody wrote: not linearizable. */
const STALE = [...VALID.slice(0, 3), line({ type: 'ok', process: 1, f: 'read', key: 'x', value: 7, time: 4 })];
const MALFORMED = [line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }), '{"type": "ok", ', VALID[1]];

describe('rift check with many files (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  const rift = (...args: string[]) => {
    const r = spawnSync(process.execPath, [RIFT, 'check', ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const write = (name: string, lines: string[]) => {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  };
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-check-many-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every file, prints a line each, exits with the worst code and writes one combined results.json', () => {
    write('h/1-valid.jsonl', VALID);
    write('h/2-stale.jsonl', STALE);
    write('h/3-bad.jsonl', MALFORMED);
    const r = rift('h/1-valid.jsonl', 'h/2-stale.jsonl', 'h/3-bad.jsonl', '--model', 'register', '--out', 'out');
    // The malformed file outranks the anomaly in the exit code, but the anomaly still has its own line and entry.
    assert.equal(r.code, 65, r.out + r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^VALID\s+h\/1-valid\.jsonl$/);
    assert.match(lines[1], /^INVALID\s+h\/2-stale\.jsonl — linearizable: key x: read/);
    assert.match(lines[2], /^BAD INPUT\s+h\/3-bad\.jsonl — .*3-bad\.jsonl:2: not valid JSON/);
    assert.match(lines[3], /^checked 3 histories: 1 valid, 1 with anomalies, 0 unknown, 1 bad input, .*; exit 65$/);
    assert.match(r.err, /3-bad\.jsonl:2: not valid JSON/);
    const combined = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    assert.equal(combined.exitCode, 65);
    assert.deepEqual(combined.files.map((f: { exitCode: number }) => f.exitCode), [0, 1, 65]);
    assert.equal(combined.files[1].valid, false);
    assert.equal(combined.files[1].checkers.linearizable.valid, false);
    assert.ok(combined.files[1].checkers.linearizable.counterexample.explorer, 'with --out, a bad key is explored for the report');
    assert.match(combined.files[2].error, /not valid JSON/);
  });

  it('prints the same lines, in the order given, whether the files are checked on worker threads or not', () => {
    const files = ['a', 'b', 'c', 'd', 'e'].map((n, i) => write(`${n}.jsonl`, i % 2 === 0 ? STALE : i === 3 ? MALFORMED : VALID));
    const main = rift(...files, '--model', 'register', '--workers', '1');
    const threads = rift(...files, '--model', 'register', '--workers', '3');
    // The default: the main thread, with helpers if the call runs long and the machine has a core to spare.
    const shared = rift(...files, '--model', 'register');
    assert.equal(main.code, 65);
    assert.equal(threads.code, 65);
    assert.equal(shared.code, 65);
    assert.equal(threads.out, main.out);
    assert.equal(shared.out, main.out);
    assert.match(threads.out, /^INVALID\s+a\.jsonl .*\nVALID\s+b\.jsonl\nINVALID\s+c\.jsonl .*\nBAD INPUT\s+d\.jsonl .*\nINVALID\s+e\.jsonl .*\nchecked 5 histories/);
    assert.match(threads.err, /d\.jsonl:2: not valid JSON/);
    const zero = rift(...files, '--workers', '0');
    assert.equal(zero.code, 64);
    assert.match(zero.err, /--workers must be an integer >= 1/);
  });

  it('exits 1 when the worst is an anomaly, 2 when it is unknown, 0 when all are valid', () => {
    write('a.jsonl', VALID);
    write('b.jsonl', STALE);
    assert.equal(rift('a.jsonl', 'b.jsonl', '--model', 'register').code, 1);
    assert.equal(rift('a.jsonl', 'a.jsonl', '--model', 'register').code, 0, 'a file named twice is checked once');
    // An already spent budget makes every file unknown.
    assert.equal(rift('a.jsonl', 'b.jsonl', '--model', 'register', '--budget', '0.001').code, 2);
  });

  it('expands a directory (at any depth) and a quoted glob, skipping pids.jsonl and other files', () => {
    write('runs/r1/history.jsonl', VALID);
    write('runs/r1/pids.jsonl', ['{"pgid": 1}']);
    write('runs/r2/history.jsonl', STALE);
    write('runs/r2/notes.txt', ['not a history']);
    write('runs/r3/history.edn', ['{:type :invoke, :f :write, :value 3, :process 0}', '{:type :ok, :f :write, :value 3, :process 0}']);
    const fromDir = rift('runs', '--model', 'register');
    assert.equal(fromDir.code, 1, fromDir.out + fromDir.err);
    assert.match(fromDir.out, /^VALID\s+runs\/r1\/history\.jsonl\nINVALID\s+runs\/r2\/history\.jsonl — .*\nVALID\s+runs\/r3\/history\.edn\nchecked 3 histories/);
    const fromGlob = rift('runs/*/history.jsonl', '--model', 'register');
    assert.equal(fromGlob.code, 1);
    assert.match(fromGlob.out, /checked 2 histories: 1 valid, 1 with anomalies/);
    const deep = rift('**/r[13]/history.*', '--model', 'register');
    assert.equal(deep.code, 0, deep.out + deep.err);
    assert.match(deep.out, /^VALID\s+runs\/r1\/history\.jsonl\nVALID\s+runs\/r3\/history\.edn\nchecked 2 histories/);
  });

  it('refuses a directory without histories and a glob that matches nothing with 64', () => {
    mkdirSync(join(dir, 'empty'));
    const e = rift('empty');
    assert.equal(e.code, 64);
    assert.match(e.err, /empty: a directory with no histories/);
    const g = rift('nothing/*.jsonl');
    assert.equal(g.code, 64);
    assert.match(g.err, /nothing\/\*\.jsonl: no file matches/);
  });
});

describe('rift check --budget and --budget-cpu (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rift-check-budget-')); writeFileSync(join(dir, 'h.jsonl'), VALID.join('\n') + '\n'); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const rift = (...args: string[]) => spawnSync(process.execPath, [RIFT, 'check', join(dir, 'h.jsonl'), '--model', 'register', ...args], { encoding: 'utf8', timeout: 60_000 });

  // Node's own start-up takes far more than a millisecond of wall and CPU time, so a budget counted from process
  // start is spent before the check begins; one counted from the check's start would leave it valid.
  it('counts --budget from process start: a budget smaller than start-up gives unknown', () => {
    const r = rift('--budget', '0.001');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /linearizable\s+unknown/);
    assert.equal(rift('--budget', '60').status, 0);
  });

  it('counts --budget-cpu in CPU time of the process since it started', () => {
    const r = rift('--budget-cpu', '0.001');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /linearizable\s+unknown/);
    assert.equal(rift('--budget-cpu', '60').status, 0);
  });

  it('refuses both at once, zero, negative and non-numeric budgets with 64 naming the flag', () => {
    const both = rift('--budget', '1', '--budget-cpu', '1');
    assert.equal(both.status, 64);
    assert.match(both.stderr, /either --budget or --budget-cpu/);
    for (const [flag, v] of [['--budget', '0'], ['--budget', '-1'], ['--budget-cpu', 'x'], ['--budget', '']]) {
      const r = rift(`${flag}=${v}`);
      assert.equal(r.status, 64, `${flag} ${v}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${flag} must be a number of seconds > 0`));
    }
  });
});
