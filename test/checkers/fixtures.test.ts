import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSafe } from '../../checkers/compose.ts';
import { createChecker } from '../../checkers/registry.ts';
import { readHistory } from '../../harness/history/reader.ts';

/** One known answer: a history in the folder, the checker and options to run, and what must come out. */
interface Case {
  file: string;
  checker: string;
  options?: Record<string, unknown>;
  valid?: true | false | 'unknown';
  anomalyTypes?: string[];
  /** Elle: the weakest models the anomalies rule out. */
  not?: string[];
  /** Linearizability: the line of the op the counterexample cannot place. */
  cannotPlace?: number;
  /** The op the checker cannot read: its line and part of the message (exit 65 from the CLI). */
  inputError?: { line: number; message: string };
  why: string;
}

const FOLDERS = ['elle-list-append', 'elle-rw-register', 'mutex', 'multi-register'];

describe('known-answer histories in fixtures/histories', () => {
  for (const folder of FOLDERS) {
    const dir = fileURLToPath(new URL(`../../fixtures/histories/${folder}/`, import.meta.url));
    const cases = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as Case[];
    describe(folder, () => {
      for (const c of cases) {
        it(`${c.file}${c.options ? ' ' + JSON.stringify(c.options) : ''}: ${c.why}`, async () => {
          const path = dir + c.file;
          const { ops } = await readHistory(path);
          const r = await checkSafe(await createChecker(c.checker, { ...c.options, file: path }), ops, {});
          if (c.inputError) {
            const e = r.inputError as { file: string; line: number; detail: string } | undefined;
            assert.ok(e, JSON.stringify(r));
            assert.equal(e.file, path);
            assert.equal(e.line, c.inputError.line);
            assert.ok(e.detail.includes(c.inputError.message), e.detail);
            return;
          }
          assert.equal(r.valid, c.valid, JSON.stringify(r.reason));
          if (c.anomalyTypes) assert.deepEqual(r.anomalyTypes, c.anomalyTypes);
          if (c.not) assert.deepEqual(r.not, c.not);
          if (c.cannotPlace !== undefined) assert.equal((r.counterexample as { cannotPlace: { line: number } }).cannotPlace.line, c.cannotPlace);
        });
      }
    });
  }
});
