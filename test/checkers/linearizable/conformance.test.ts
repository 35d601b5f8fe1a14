import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJepsenEtcdLog, parseKvLog } from '../../../checkers/interop/porcupine-formats.ts';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { keyedModel } from '../../../checkers/linearizable/models/keyed.ts';
import { kvModel } from '../../../checkers/linearizable/models/kv.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'conformance', 'porcupine');

interface Verdict {
  file: string;
  expected: 'ok' | 'illegal' | null;
}

// Read at load time to generate one test per file. The corpus lives in ../shared, which a plain clone lacks: then
// these tests are skipped (saying why), while a corpus that is present but unreadable still fails.
let verdicts: Verdict[] = [];
let corpusError: string | undefined;
const corpusAbsent = !existsSync(corpus);
if (!corpusAbsent) {
  try {
    verdicts = JSON.parse(readFileSync(path.join(corpus, 'VERDICTS.json'), 'utf8')).files;
  } catch (e) {
    corpusError = `cannot read ${path.join(corpus, 'VERDICTS.json')}: ${(e as Error).message}`;
  }
}
const load = (file: string) => {
  const text = readFileSync(path.join(corpus, file), 'utf8');
  return file.startsWith('kv/') ? parseKvLog(text, file) : parseJepsenEtcdLog(text, file);
};
const expectedValid = (v: Verdict): boolean => v.expected === 'ok';

const title = 'linearizable: Porcupine conformance corpus (every file in VERDICTS.json)';
describe(corpusAbsent ? `${title} — skipped: ${corpus} is absent (the shared corpus sits beside the repository)` : title, function () {
  this.timeout(120_000);
  before(function () {
    if (corpusAbsent) this.skip();
  });

  it('has the corpus and a verdict for every data file', () => {
    assert.equal(corpusError, undefined, corpusError);
    assert.ok(verdicts.length >= 109, `expected >= 109 entries, got ${verdicts.length}`);
    assert.equal(verdicts.filter((v) => v.expected !== null).length, 108);
  });

  for (const v of verdicts) {
    if (v.expected === null) {
      it(`${v.file}: has no verdict and parses to an empty history`, () => {
        assert.deepEqual(load(v.file), []);
      });
      continue;
    }
    it(`${v.file} is ${v.expected}`, async () => {
      const kv = v.file.startsWith('kv/');
      const r = await checkLinearizable(load(v.file), kv ? { model: 'kv', initial: '' } : { model: 'cas-register' });
      assert.equal(r.valid, expectedValid(v), `${v.file}: got ${String(r.valid)} (${r.reason ?? ''})`);
      if (r.valid === false) {
        const ce = r.counterexample as { cannotPlace: { line: number }; message: string };
        assert.ok(ce.cannotPlace.line >= 1, 'counterexample names a history line');
      }
    });
  }

  for (const name of ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad']) {
    it(`kv/${name}.txt unpartitioned (one search over all keys) agrees with its verdict`, async () => {
      const r = await checkLinearizable(load(`kv/${name}.txt`), { model: keyedModel(kvModel('')) });
      assert.equal(r.valid, name.endsWith('-ok'));
      assert.deepEqual(Object.keys(r.partitions as object), ['(all keys)']);
    });
  }
});
