import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEdnHistory } from '../../../harness/history/edn.ts';
import { checkInProcess } from './in-process-check.ts';

const root = resolve('fixtures/histories');
interface Case { file: string; args: string[]; expected: 'valid' | 'invalid' | 'unknown'; warning?: string }
const { cases } = JSON.parse(readFileSync(join(root, 'VERDICTS.json'), 'utf8')) as { cases: Case[] };
const EXIT = { valid: 0, invalid: 1, unknown: 2 };

describe('fixtures/histories: known answers (rift check in-process)', function () {
  this.timeout(60_000);
  let out: string;
  before(() => { out = mkdtempSync(join(tmpdir(), 'rift-known-')); });
  after(() => rmSync(out, { recursive: true, force: true }));

  for (const c of cases) {
    it(`${c.file} ${c.args.join(' ')} is ${c.expected}`, async () => {
      const r = await checkInProcess([join(root, c.file), ...c.args, '--out', out]);
      assert.equal(r.code, EXIT[c.expected], r.out + r.err);
      if (c.warning) assert.ok(r.err.includes(c.warning), r.err);
      const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      assert.equal(res.valid, c.expected === 'invalid' ? false : c.expected === 'valid' ? true : 'unknown');
      const order = c.args.includes('time') ? 'time' : 'lines';
      const nilRead = c.args.includes('absent') || (c.file.endsWith('.jsonl') && !c.args.includes('any')) ? 'absent' : 'any';
      assert.deepEqual({ order: res.input.order, nilRead: res.input.nilRead }, { order, nilRead });
    });
  }

  it('every fixture file has a case, and each -ok/-bad suffix matches its verdict under the defaults', () => {
    const files = new Set(cases.map((c) => c.file));
    for (const c of cases) {
      const defaults = c.args.every((a) => !['--order', '--nil-read'].includes(a));
      if (defaults) assert.equal(c.expected, c.file.includes('-ok.') ? 'valid' : 'invalid', c.file);
    }
    // Checker-level known answers keep their cases beside the files, in <folder>/expected.json.
    for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('expected.json'))) {
      const folder = f.slice(0, -'expected.json'.length);
      for (const c of JSON.parse(readFileSync(join(root, f), 'utf8')) as { file: string }[]) files.add(folder + c.file);
    }
    const onDisk = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(jsonl|edn)$/.test(f));
    assert.deepEqual(onDisk.filter((f) => !files.has(f)), [], 'fixture files without a known answer');
  });

  it('the completion-only history keeps :x, "x" and [:anti 3] as three keys', () => {
    const { ops } = parseEdnHistory(readFileSync(join(root, 'list-append/completion-only-ok.edn'), 'utf8'));
    const keys = new Set(ops.flatMap((o) => (o.value as unknown[][]).map((m) => m[1])));
    assert.deepEqual([...keys].sort(), ['"x"', ':x', '[:anti 3]', '[:anti 4]']);
    assert.equal(ops.filter((o) => o.type === 'invoke').length, 5);
  });
});
