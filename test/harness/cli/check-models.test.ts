import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathologicalOps } from '../../checkers/linearizable/pathological.ts';

const RIFT = resolve('bin/rift.mjs');
const FIXTURES = resolve('fixtures/histories');

describe('rift check: linearizability models and Elle options (CLI)', function () {
  this.timeout(120_000);
  let out: string;
  before(() => { out = mkdtempSync(join(tmpdir(), 'rift-check-models-')); });
  after(() => rmSync(out, { recursive: true, force: true }));
  const rift = (...args: string[]) => {
    const r = spawnSync(process.execPath, [RIFT, 'check', ...args, '--out', out], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('checks mutex histories: 0 for a valid one, 1 for two acquires without a release', () => {
    assert.equal(rift(join(FIXTURES, 'mutex/ok.jsonl'), '--model', 'mutex').code, 0);
    const bad = rift(join(FIXTURES, 'mutex/two-acquires.jsonl'), '--model', 'mutex');
    assert.equal(bad.code, 1, bad.err);
  });

  it('an op the model cannot read exits 65 naming the file and line, not "checker crashed"', () => {
    const file = join(FIXTURES, 'mutex/not-a-mutex-op.jsonl');
    const r = rift(file, '--model', 'mutex');
    assert.equal(r.code, 65, r.out + r.err);
    assert.ok(r.err.includes(`${file}:3: f "read" is not an operation of the mutex model`), r.err);
    assert.doesNotMatch(r.err + r.out, /crashed/);
  });

  it('an unknown model, or an initial value the model cannot take, exits 64 listing what it takes', () => {
    const file = join(FIXTURES, 'mutex/ok.jsonl');
    const unknown = rift(file, '--model', 'queue');
    assert.equal(unknown.code, 64);
    assert.match(unknown.err, /--model must be one of register, cas-register, kv, set, mutex, multi-register/);
    const initial = rift(file, '--model', 'mutex', '--initial', '"locked"');
    assert.equal(initial.code, 64);
    assert.match(initial.err, /mutex model: initial must be true \(held\) or false \(free\)/);
  });

  it('an Elle checker given the other workload\'s history exits 65 naming the line and micro-op', () => {
    const file = join(FIXTURES, 'elle-list-append/valid.jsonl');
    const r = rift(file, '--checker', 'elle-rw-register');
    assert.equal(r.code, 65, r.out + r.err);
    assert.ok(r.err.includes(`${file}:2: value[0][0]: rw-register allows micro-ops w, r (got "append")`), r.err);
  });

  it('multi-register with an initial map of registers', () => {
    const r = rift(join(FIXTURES, 'multi-register/read-skew.jsonl'), '--model', 'multi-register', '--initial', '{"x":0,"y":0}');
    assert.equal(r.code, 1, r.err);
  });

  it('--assume linearizable-keys finds what plain inference cannot; unknown assumptions and models exit 64', () => {
    const file = join(FIXTURES, 'elle-rw-register/read-skew-needs-order.jsonl');
    const base = ['--checker', 'elle-rw-register', '--consistency-model', 'serializable'];
    assert.equal(rift(file, ...base).code, 0);
    const assumed = rift(file, ...base, '--assume', 'linearizable-keys');
    assert.equal(assumed.code, 1, assumed.err);
    assert.match(assumed.out, /G-single-item/);
    const bogus = rift(file, ...base, '--assume', 'causal-keys');
    assert.equal(bogus.code, 64);
    assert.match(bogus.err, /unknown assumption "causal-keys"; known: sequential-keys, linearizable-keys/);
    const model = rift(file, '--checker', 'elle-rw-register', '--consistency-model', 'serialisable');
    assert.equal(model.code, 64);
    assert.match(model.err, /unknown consistency model "serialisable"/);
  });

  it('--after-bad-key 0 stops at the first bad key, leaving a hard one undecided; it is refused with --budget', () => {
    // A plainly stale read on key "easy", and on key "hard" 40 concurrent writes that take minutes to refute.
    const file = join(out, 'easy-and-hard.jsonl');
    const ops = [
      ...pathologicalOps(40, 'hard', 0),
      { type: 'invoke', process: 100, f: 'write', key: 'easy', value: 1, time: 0 },
      { type: 'ok', process: 100, f: 'write', key: 'easy', value: 1, time: 0 },
      { type: 'invoke', process: 100, f: 'read', key: 'easy', value: null, time: 0 },
      { type: 'ok', process: 100, f: 'read', key: 'easy', value: 2, time: 0 },
    ];
    writeFileSync(file, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const r = rift(file, '--model', 'register', '--after-bad-key', '0');
    assert.equal(r.code, 1, r.err);
    const lin = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).checkers.linearizable;
    assert.deepEqual(lin.illegalKeys, ['easy']);
    assert.deepEqual(lin.undecidedKeys, ['hard']);
    assert.equal(lin.partitions.hard.reason, 'stopped');
    const both = rift(file, '--model', 'register', '--after-bad-key', '1', '--budget', '5');
    assert.equal(both.code, 64);
    assert.match(both.err, /--after-bad-key does nothing with --budget/);
    const negative = rift(file, '--model', 'register', '--after-bad-key', '-1');
    assert.equal(negative.code, 64);
    assert.match(negative.err, /--after-bad-key must be a number >= 0/);
  });
});
